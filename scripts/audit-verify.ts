// `npm run audit:verify`: recomputes the audit log's hash chain and the chains of the registers beside it
// (disclosures, the incident register's history, ...) and reports the first broken link of each.
// Reads data/audit.sqlite, or AUDIT_DATABASE_URL. Exit code 1 when a chain is broken.
import { existsSync } from 'node:fs';
import { openAuditStore } from '@clinic/gateway';
import { databaseTarget } from '@clinic/service-kit';

// A check pointed at the wrong place must not pass: it would create an empty store and find it intact.
const target = databaseTarget('audit');
if (target.kind === 'sqlite' && !existsSync(target.file)) {
  console.error(`audit:verify: no audit store at ${target.file} (set DATA_DIR or AUDIT_DATABASE_URL)`);
  process.exit(2);
}
const store = await openAuditStore({ target });
try {
  const status = await store.auditLog.verify();
  if (status.ok) {
    console.log(`audit:verify: the chain of ${status.events} events is intact`);
  } else {
    console.log(`audit:verify: BROKEN at event ${status.firstBrokenEventId} (event ${status.events} of the chain)`);
    process.exitCode = 1;
  }
  for (const register of await store.registers.verifyAll()) {
    if (register.ok) {
      console.log(`audit:verify: the register ${register.register} of ${register.entries} entries is intact`);
    } else {
      console.log(`audit:verify: register ${register.register} BROKEN at entry ${register.firstBrokenEntryId ?? '(its last entry was removed)'}`);
      process.exitCode = 1;
    }
  }
} finally {
  await store.close();
}
