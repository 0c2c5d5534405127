/** A list result from which rows were withheld; reported as one FORBIDDEN error at that path. */
export interface Withheld {
  path: (string | number)[];
  count: number;
  reason: string;
}

/** The rows a request's row filters withheld, reported with the response (a count, never values). */
export class WithheldRows {
  private readonly rows: Withheld[] = [];

  add(withheld: Withheld): void {
    this.rows.push(withheld);
  }

  get all(): readonly Withheld[] {
    return this.rows;
  }
}
