import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import express from 'express';
import { GraphQLError } from 'graphql';
import type { Logger } from '@clinic/service-kit';
import type { AuditEntry, AuditFilters } from '../audit-store/audit-log.js';
import type { AuditLog } from '../audit-store/audit-log.js';
import type { Viewer } from '../identity/viewer.js';
import type { CompiledPolicy } from '../policy/compiled-policy.js';
import { clientRequestIdOf } from '../request-ids.js';
import { AuditFilterProblem, checkedAuditFilters, recordedFilters } from './audit-filters.js';
import { csvHeader, csvLine } from './csv.js';
import { toFhirAuditEvent } from './fhir-audit-event.js';

/** The rule whose readers may export the log: the same as the log's search (privacy officer only, permissions.ts). */
export const AUDIT_EXPORT_RULE = 'Query.auditLog';
export const AUDIT_EXPORT_PATH = '/audit/export';

const FORMATS = {
  fhir: 'application/fhir+json; charset=utf-8',
  ndjson: 'application/fhir+ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
} as const;
type Format = keyof typeof FORMATS;
const PARAMETERS = new Set(['format', 'patientId', 'actorId', 'from', 'to', 'decision', 'reason', 'field']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Events read per statement while streaming. */
const EXPORT_PAGE = 500;

export interface AuditExportOptions {
  auditLog: Pick<AuditLog, 'append' | 'search' | 'head'>;
  compiled: CompiledPolicy;
  /** The viewer from the verified token (the gateway's authenticate), or a GraphQLError saying why not. */
  authenticate(authorization: string | undefined, requestId: string, now: Date): Promise<Viewer>;
  /** The per-user rate limit the GraphQL endpoint uses. */
  consumeRateLimit(viewerId: string): Promise<void>;
  clock(): Date;
  logger: Logger;
}

function refuse(res: Response, status: number, code: string, message: string, requestId: string, extra: Record<string, unknown> = {}): void {
  res.status(status).json({ errors: [{ message, extensions: { code, requestId, ...extra } }] });
}

/** A GraphQLError from authentication or the rate limit, as an HTTP answer (its status and headers). */
function refuseWith(res: Response, err: unknown, requestId: string): boolean {
  if (!(err instanceof GraphQLError)) return false;
  const http = err.extensions.http as { status?: number; headers?: Map<string, string> } | undefined;
  for (const [name, value] of http?.headers ?? []) res.setHeader(name, value);
  const code = String(err.extensions.code ?? 'UNAUTHENTICATED');
  refuse(res, http?.status ?? (code === 'UNAUTHENTICATED' ? 401 : 429), code, err.message, requestId);
  return true;
}

/** Writes a chunk, waiting when the client reads slower than the log is read (backpressure). */
async function write(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const drained = () => {
      res.off('close', closed);
      resolve();
    };
    const closed = () => {
      res.off('drain', drained);
      reject(new Error('audit export: the client went away'));
    };
    res.once('drain', drained);
    res.once('close', closed);
  });
}

/**
 * `GET /audit/export?format=fhir|ndjson|csv&from&to&decision&reason&actorId&patientId&field`: the
 * events matching the filters, in chain order, streamed page by page (a FHIR R4 Bundle of
 * AuditEvent resources, FHIR NDJSON, or CSV). Authenticated by the same verified token as
 * /graphql and allowed to the readers of Query.auditLog only. The export is recorded in the log
 * before anything is sent (with its filters and the last event it covers); a refusal is recorded too.
 */
export function auditExportRoutes(options: AuditExportOptions): express.Router {
  const router = express.Router();
  router.get(AUDIT_EXPORT_PATH, async (req: Request, res: Response) => {
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
    res.setHeader('cache-control', 'no-store');
    const now = options.clock();
    let viewer: Viewer;
    try {
      viewer = await options.authenticate(req.headers.authorization, requestId, now);
      await options.consumeRateLimit(viewer.id);
    } catch (err) {
      if (refuseWith(res, err, requestId)) return;
      options.logger.error({ err, requestId }, 'audit export: authentication failed');
      refuse(res, 503, 'UNAVAILABLE', 'Authentication is unavailable', requestId);
      return;
    }
    const clientName = req.header('apollographql-client-name')?.slice(0, 100) ?? null;
    const clientRequestId = clientRequestIdOf(req);
    const entry = (decision: 'ALLOW' | 'DENY', reason: string | null, filters: string | null): AuditEntry => ({
      actorId: viewer.id, role: viewer.role, decision, reason, fields: [AUDIT_EXPORT_RULE], emergencyAccessId: null, patientIds: [],
      operationName: `GET ${AUDIT_EXPORT_PATH}`, clientName, requestId, clientRequestId, rulesVersion: options.compiled.version, filters,
    });
    const plan = options.compiled.plan(viewer.role, viewer.mfa, AUDIT_EXPORT_RULE);
    const verdict = plan.fixed;
    if (!verdict?.allow) {
      const reason = verdict && !verdict.allow ? verdict.reason : 'ROLE';
      await options.auditLog.append([entry('DENY', reason, null)], now).catch((err: unknown) => options.logger.error({ err, requestId }, 'audit export: the refusal could not be logged'));
      refuse(res, 403, 'FORBIDDEN', `Not allowed to export the audit log (${reason})`, requestId, { reason });
      return;
    }
    const unknown = Object.keys(req.query).filter((name) => !PARAMETERS.has(name));
    if (unknown.length) return refuse(res, 400, 'BAD_USER_INPUT', `unknown parameter (expected ${[...PARAMETERS].join(', ')})`, requestId);
    const raw: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(req.query)) {
      if (typeof value !== 'string') return refuse(res, 400, 'BAD_USER_INPUT', `${name} must be given once`, requestId, { field: name });
      raw[name] = value;
    }
    const format = (raw.format ?? 'fhir') as string;
    if (!(format in FORMATS)) return refuse(res, 400, 'BAD_USER_INPUT', `format must be one of ${Object.keys(FORMATS).join(', ')}`, requestId, { field: 'format' });
    let filters: AuditFilters;
    try {
      filters = checkedAuditFilters(raw, (field) => options.compiled.coordinates.includes(field));
    } catch (err) {
      if (err instanceof AuditFilterProblem) return refuse(res, 400, 'BAD_USER_INPUT', err.message, requestId, { field: err.field });
      throw err;
    }
    // The export covers the chain as it stands now, and is logged (fail closed) before any of it leaves.
    let upToSeq: number;
    try {
      upToSeq = (await options.auditLog.head()).seq;
      await options.auditLog.append([entry('ALLOW', null, recordedFilters('export', filters, { format, upToSeq }))], now);
    } catch (err) {
      options.logger.error({ err, requestId }, 'audit export: the export could not be logged: nothing exported');
      return refuse(res, 503, 'AUDIT_UNAVAILABLE', 'The audit log cannot be written: nothing is exported', requestId);
    }
    await stream(res, format as Format, filters, upToSeq, options, requestId, now);
  });
  return router;
}

async function stream(res: Response, format: Format, filters: AuditFilters, upToSeq: number, options: AuditExportOptions, requestId: string, now: Date): Promise<void> {
  res.status(200).setHeader('content-type', FORMATS[format]);
  const stamp = now.toISOString().replaceAll(':', '').replace(/\.\d+Z$/, 'Z');
  res.setHeader('content-disposition', `attachment; filename="audit-${stamp}.${format === 'fhir' ? 'json' : format}"`);
  let events = 0;
  try {
    if (format === 'fhir') await write(res, `{"resourceType":"Bundle","type":"collection","timestamp":${JSON.stringify(now.toISOString())},"entry":[`);
    if (format === 'csv') await write(res, csvHeader());
    let fromSeq = 1;
    for (;;) {
      const page = await options.auditLog.search(filters, { order: 'asc', limit: EXPORT_PAGE, fromSeq, upToSeq, patients: 'all' });
      let chunk = '';
      for (const event of page) {
        if (format === 'csv') chunk += csvLine(event);
        else {
          const resource = JSON.stringify(toFhirAuditEvent(event));
          const fullUrl = UUID.test(event.id) ? `"fullUrl":"urn:uuid:${event.id}",` : '';
          chunk += format === 'ndjson' ? `${resource}\n` : `${events > 0 ? ',' : ''}{${fullUrl}"resource":${resource}}`;
        }
        events += 1;
      }
      if (chunk) await write(res, chunk);
      const last = page.at(-1);
      if (page.length < EXPORT_PAGE || !last) break;
      fromSeq = last.seq + 1;
    }
    if (format === 'fhir') await write(res, ']}');
    res.end();
    options.logger.info({ requestId, format, events, filters: Object.keys(filters) }, 'audit export sent');
  } catch (err) {
    // Headers are sent: a cut connection (no final chunk) tells the client the export is incomplete.
    options.logger.error({ err, requestId, events }, 'audit export: interrupted');
    res.destroy();
  }
}
