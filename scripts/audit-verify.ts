// `npm run audit:verify`: recomputes the audit log's hash chain and reports the first broken link.
// Reads data/audit.sqlite, or AUDIT_DATABASE_URL. Exit code 1 when the chain is broken.
import { openAuditStore } from '@clinic/gateway';

const store = await openAuditStore();
try {
  const status = await store.auditLog.verify();
  if (status.ok) {
    console.log(`audit:verify: the chain of ${status.events} events is intact`);
  } else {
    console.log(`audit:verify: BROKEN at event ${status.firstBrokenEventId} (event ${status.events} of the chain)`);
    process.exitCode = 1;
  }
} finally {
  await store.close();
}
