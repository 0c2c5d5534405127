// `npm run audit:verify`: recomputes the audit log's hash chain and the chains of the registers beside it
// (disclosures, the incident register's history, ...) and reports the first broken link of each;
// then, when AUDIT_CHECKPOINT_DIR is set, checks the chain against every signed checkpoint there
// with the public key AUDIT_CHECKPOINT_PUBLIC_KEY (a rewrite of the whole chain, every hash
// recomputed, passes the first check but not a checkpoint signed before it).
// Reads data/audit.sqlite, or AUDIT_DATABASE_URL. Exit code 1 when a chain or a checkpoint fails.
import { existsSync } from 'node:fs';
import { checkAgainstCheckpoints, openAuditStore, readPublicKey } from '@clinic/gateway';
import { databaseTarget } from '@clinic/service-kit';

const PROBLEMS = {
  UNREADABLE: 'not a checkpoint file',
  BAD_SIGNATURE: 'not signed by the checkpoint key (forged or altered)',
  EVENTS_MISSING: 'the chain (or a register beside it) no longer has the events it signed (removed)',
  HEAD_REWRITTEN: 'the event it signed has another hash now (the chain, or a register beside it, was rewritten)',
} as const;

// A check pointed at the wrong place must not pass: it would create an empty store and find it intact.
const target = databaseTarget('audit');
if (target.kind === 'sqlite' && !existsSync(target.file)) {
  console.error(`audit:verify: no audit store at ${target.file} (set DATA_DIR or AUDIT_DATABASE_URL)`);
  process.exit(2);
}
const checkpointDir = process.env.AUDIT_CHECKPOINT_DIR;
const publicKeyPath = process.env.AUDIT_CHECKPOINT_PUBLIC_KEY;
if (checkpointDir && (!publicKeyPath || !existsSync(checkpointDir))) {
  console.error(!publicKeyPath ? 'audit:verify: AUDIT_CHECKPOINT_DIR is set: set AUDIT_CHECKPOINT_PUBLIC_KEY too' : `audit:verify: no checkpoint directory ${checkpointDir}`);
  process.exit(2);
}
const publicKey = checkpointDir && publicKeyPath ? readPublicKey(publicKeyPath) : undefined;
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
  if (checkpointDir && publicKey) {
    const results = await checkAgainstCheckpoints(store, checkpointDir, publicKey);
    for (const r of results.filter((c) => !c.ok)) {
      console.log(`audit:verify: CHECKPOINT FAILED ${r.file}${r.events === null ? '' : ` (${r.events} events at ${r.at})`}: ${PROBLEMS[r.problem ?? 'UNREADABLE']}`);
    }
    const good = results.filter((c) => c.ok).length;
    if (good === results.length) console.log(`audit:verify: ${results.length === 0 ? 'no checkpoint yet' : `all ${results.length} checkpoints match the chain`}`);
    else process.exitCode = 1;
  }
} finally {
  await store.close();
}
