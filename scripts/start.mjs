// `npm start`: the three subgraphs and the gateway together on the embedded default (SQLite,
// seeded demo clinic on first start). Ctrl-C stops them all.
import concurrently from 'concurrently';

// `--built` (npm run start:built): the JavaScript `npm run build` emitted, on plain Node (no tsx).
const script = process.argv.includes('--built') ? 'start:built' : 'start';

const { result } = concurrently(
  [
    { name: 'patient', command: `npm run ${script} -w @clinic/patient-service --silent` },
    { name: 'employee', command: `npm run ${script} -w @clinic/employee-service --silent` },
    { name: 'billing', command: `npm run ${script} -w @clinic/billing-service --silent` },
    { name: 'gateway', command: `npm run ${script} -w @clinic/gateway --silent` },
  ],
  { prefix: 'name', killOthersOn: ['failure', 'success'], prefixColors: ['blue', 'magenta', 'yellow', 'green'] },
);
result.then(
  () => process.exit(0),
  () => process.exit(1),
);
