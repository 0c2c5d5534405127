// `npm run audit:checkpoint`: signs the audit chain's head (the hash of its last event, how many
// events, when) with the clinic's Ed25519 private key and writes it to the checkpoint directory.
//   AUDIT_CHECKPOINT_KEY   the private key (PEM file), kept where the database administrator cannot read it
//   AUDIT_CHECKPOINT_DIR   where checkpoints go (a directory of the clinic's choosing: another machine, write-once storage)
// The audit store: data/audit.sqlite, or AUDIT_DATABASE_URL. Refuses to sign a broken chain (exit 1).
// `npm run audit:checkpoint -- keygen <private.pem> <public.pem>`: makes a key pair (never over existing files).
import { existsSync } from 'node:fs';
import { openAuditStore, readPrivateKey, takeCheckpoint, writeCheckpoint, writeKeyPair } from '@clinic/gateway';
import { databaseTarget } from '@clinic/service-kit';

const [command, ...args] = process.argv.slice(2);
if (command === 'keygen') {
  const [privatePath, publicPath] = args;
  if (!privatePath || !publicPath) {
    console.error('usage: npm run audit:checkpoint -- keygen <private.pem> <public.pem>');
    process.exit(2);
  }
  const keyId = writeKeyPair(privatePath, publicPath);
  console.log(`audit:checkpoint: wrote an Ed25519 key pair (key id ${keyId}): keep ${privatePath} away from the audit database's host and its administrators`);
  process.exit(0);
}
if (command !== undefined) {
  console.error('usage: npm run audit:checkpoint [-- keygen <private.pem> <public.pem>]');
  process.exit(2);
}

const keyPath = process.env.AUDIT_CHECKPOINT_KEY;
const dir = process.env.AUDIT_CHECKPOINT_DIR;
if (!keyPath || !dir) {
  console.error('audit:checkpoint: set AUDIT_CHECKPOINT_KEY (the Ed25519 private key file) and AUDIT_CHECKPOINT_DIR (where checkpoints go)');
  process.exit(2);
}
if (!existsSync(dir)) {
  console.error(`audit:checkpoint: no checkpoint directory ${dir}`);
  process.exit(2);
}
const target = databaseTarget('audit');
if (target.kind === 'sqlite' && !existsSync(target.file)) {
  console.error(`audit:checkpoint: no audit store at ${target.file} (set DATA_DIR or AUDIT_DATABASE_URL)`);
  process.exit(2);
}
const privateKey = readPrivateKey(keyPath);
const store = await openAuditStore({ target });
try {
  const checkpoint = await takeCheckpoint(store, privateKey, new Date());
  const file = writeCheckpoint(dir, checkpoint);
  console.log(`audit:checkpoint: signed the chain of ${checkpoint.payload.events} events (head ${checkpoint.payload.headHash.slice(0, 16)}…) in ${file}`);
} catch (err) {
  console.error(String((err as Error).message));
  process.exitCode = 1;
} finally {
  await store.close();
}
