import { DriverException } from '@mikro-orm/core';
import { pino, type Logger } from 'pino';

export type { Logger };

/** Stack frames without the message line, which may quote data. */
function framesOnly(stack: string | undefined): string | undefined {
  return stack
    ?.split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .join('\n');
}

/**
 * Errors are logged by type, code and stack frames. Database errors quote the SQL and the values
 * they failed on, so their message is dropped; other messages are written by this project.
 */
export function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const cause = 'originalError' in err && err.originalError instanceof Error ? err.originalError : err;
  const fromDatabase = cause instanceof DriverException;
  return {
    type: cause.constructor.name,
    code: 'code' in cause ? cause.code : undefined,
    message: fromDatabase ? undefined : cause.message,
    stack: framesOnly(cause.stack),
  };
}

/**
 * Structured JSON logs. Logs carry ids, operation names, timings and error codes only:
 * request bodies, variables and results are never logged, so no personal information leaks here.
 */
export function createLogger(service: string): Logger {
  return pino({
    name: service,
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    serializers: { err: serializeError },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'variables', '*.variables'], remove: true },
  });
}
