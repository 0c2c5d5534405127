// `npm start`: the three subgraphs and the gateway together on the embedded default (SQLite,
// seeded demo clinic on first start). A service that stops is started again with backoff while the
// others keep running; Ctrl-C stops them all.
import { supervise } from './lib/supervisor.js';

// `--built` (npm run start:built): each service runs the JavaScript `npm run build` emitted, on plain Node.
const script = process.argv.includes('--built') ? 'start:built' : 'start';
const npmStart = (name: string, workspace: string) => ({ name, command: 'npm', args: ['run', script, '-w', workspace, '--silent'] });

const supervisor = supervise(
  [npmStart('patient', '@clinic/patient-service'), npmStart('employee', '@clinic/employee-service'), npmStart('billing', '@clinic/billing-service'), npmStart('gateway', '@clinic/gateway')],
  { onEvent: (event) => event.kind === 'started' && process.stdout.write(`[supervisor] ${event.name} started (pid ${event.pid}, attempt ${event.attempt})\n`) },
);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  supervisor.stop().then(() => process.exit(0), () => process.exit(1));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
