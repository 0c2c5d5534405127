import type { AccessRecorder } from './audit/access-recorder.js';
import type { AccessContext } from './policy/access-context.js';

/** A list result from which rows were withheld; reported as one FORBIDDEN error at that path. */
export interface Withheld {
  path: (string | number)[];
  count: number;
  reason: string;
}

/** What the gateway knows about one request; resolved once, read-only afterwards (but for `withheld`). */
export interface GatewayContext {
  /** The gateway's own id of this request (never the client's). */
  requestId: string;
  /** The id the client sent in `x-request-id`, when well-formed; recorded beside the gateway's. */
  clientRequestId: string | null;
  access: AccessContext;
  withheld: Withheld[];
  /** Decisions on patients' information taken by this request, for the audit log. */
  audit: AccessRecorder;
}
