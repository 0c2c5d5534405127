import type { RequestAudit } from './audit/request-audit.js';
import type { RequestPolicy } from './policy/request-policy.js';
import type { RequestFacts } from './request-facts.js';
import type { RequestServices } from './request-services.js';
import type { WithheldRows } from './withheld-rows.js';

/**
 * What the gateway knows about one request: frozen facts (viewer, clock, ids) and named
 * per-request services. Nothing here is shared with another request.
 */
export interface GatewayContext {
  readonly request: RequestFacts;
  /** `request.requestId`, where service-kit's request logging reads it. */
  readonly requestId: string;
  /** The id the client sent in `x-request-id`, when well-formed: logged beside the gateway's own, never used as it. */
  readonly clientRequestId: string | null;
  /** The reader's compiled plans and the policy facts of the patients the response touches. */
  readonly access: RequestPolicy;
  /** Decisions on patients' information taken by this request, for the audit log. */
  readonly audit: RequestAudit;
  readonly withheld: WithheldRows;
  readonly services: RequestServices;
}
