import { ClinicCalendar, loadDemoClinic } from '@clinic/schema';
import { ConfigurationError, createLogger, startTracing, stopOnSignals } from '@clinic/service-kit';
import { seedAuditHistory } from './audit-store/audit-history-seed.js';
import { startGateway } from './create-gateway.js';
import { gatewaySettings } from './startup-config.js';

const logger = createLogger('gateway');
// Off unless the standard OTEL_* variables configure an exporter.
const tracing = startTracing('clinic-gateway');
try {
  const gateway = await startGateway({ ...(await gatewaySettings()), logger });
  // Like the subgraphs (SEED_ON_START, default on): the demo clinic's past, into an audit store that has none.
  if (process.env.SEED_ON_START !== 'false') logger.info({ seeding: await seedAuditHistory(gateway.auditStore, loadDemoClinic(), new ClinicCalendar()) }, 'audit store ready');
  stopOnSignals(logger, async () => {
    await gateway.stop();
    await tracing?.stop();
  });
} catch (err) {
  if (err instanceof ConfigurationError) logger.fatal({ problems: err.problems }, err.message);
  else logger.fatal({ err }, 'gateway failed to start');
  process.exit(1);
}
