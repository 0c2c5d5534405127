import type { Viewer } from './identity/viewer.js';

/** What is known of a request before it runs, the same for every part of it: frozen once made. */
export interface RequestFacts {
  readonly viewer: Viewer | undefined;
  /** The request's clock: every decision, duty and audit event of the request uses this instant. */
  readonly now: Date;
  /** Made by the gateway for every request (returned to the client, recorded in the audit log). */
  readonly requestId: string;
  /** `apollographql-client-name`, as the client says (recorded, never trusted). */
  readonly clientName: string | null;
  /** The client's own `x-request-id`, when well-formed (recorded beside the gateway's, never used as it). */
  readonly clientRequestId?: string | null;
}

export function requestFacts(facts: RequestFacts): RequestFacts {
  return Object.freeze({ ...facts });
}
