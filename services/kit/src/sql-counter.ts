import { DefaultLogger, type LoggerOptions } from '@mikro-orm/core';

/** Counts every SQL statement MikroORM sends, so tests and the benchmark can prove there is no N+1. */
export class SqlStatementCounter {
  private count = 0;

  increment(): void {
    this.count += 1;
  }

  get total(): number {
    return this.count;
  }
}

/** A MikroORM logger that counts statements and prints only when MikroORM debug logging is on. */
export function countingLoggerFactory(counter: SqlStatementCounter): (options: LoggerOptions) => DefaultLogger {
  return (options: LoggerOptions) =>
    new (class extends DefaultLogger {
      override logQuery(context: Parameters<DefaultLogger['logQuery']>[0]): void {
        counter.increment();
        super.logQuery(context);
      }
    })(options);
}
