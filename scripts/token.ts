// `npm run token -- <username> [--mfa] [--expires 1h]`: prints a dev token for a demo clinic user.
import { demoUser, demoUsers, loadOrCreateDevKeys, mintDevToken } from '@clinic/gateway';

const args = process.argv.slice(2);
const username = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--expires');
const expiresAt = args.indexOf('--expires');
const user = username ? demoUser(username) : undefined;
if (!user) {
  console.error(`usage: npm run token -- <username> [--mfa] [--expires 1h]\nusers: ${demoUsers().map((u) => u.username).join(', ')}`);
  process.exit(2);
}
const token = await mintDevToken(await loadOrCreateDevKeys(), user, {
  mfa: args.includes('--mfa'),
  ...(expiresAt >= 0 && args[expiresAt + 1] ? { expiresIn: args[expiresAt + 1] } : {}),
});
console.log(token);
