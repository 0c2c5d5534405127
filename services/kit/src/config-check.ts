/**
 * Start-up configuration is checked as a whole: every problem found is reported at once, so an
 * operator fixes them in one go instead of one restart per mistake.
 */
export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

export class ConfigCheck {
  readonly problems: string[] = [];

  /** Runs one reader; its error becomes a problem on the list and the fallback stands in for the value. */
  read<T>(reader: () => T, fallback: T): T {
    try {
      return reader();
    } catch (err) {
      this.problems.push(problemText(err));
      return fallback;
    }
  }

  async readAsync<T>(reader: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await reader();
    } catch (err) {
      this.problems.push(problemText(err));
      return fallback;
    }
  }

  problem(text: string): void {
    this.problems.push(text);
  }

  /** Throws one ConfigurationError naming every problem found, if any. */
  done(): void {
    if (this.problems.length > 0) throw new ConfigurationError(this.problems);
  }
}

function problemText(err: unknown): string {
  if (err instanceof ConfigurationError) return err.problems.join('; ');
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/^config: /, '');
}
