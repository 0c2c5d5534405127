/** A named per-request service: made on first use in a request, never shared with another request. */
export interface RequestServiceKey<T> {
  readonly name: string;
  create(): T;
}

export const requestService = <T>(name: string, create: () => T): RequestServiceKey<T> => ({ name, create });

/** The per-request services of the gateway's own fields (batch loaders), typed by their key. */
export class RequestServices {
  private readonly made = new Map<RequestServiceKey<unknown>, unknown>();

  get<T>(key: RequestServiceKey<T>): T {
    if (this.made.has(key)) return this.made.get(key) as T;
    const service = key.create();
    this.made.set(key, service);
    return service;
  }
}
