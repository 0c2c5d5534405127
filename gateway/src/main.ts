import { ConfigurationError, createLogger, startTracing, stopOnSignals } from '@clinic/service-kit';
import { startGateway } from './create-gateway.js';
import { gatewaySettings } from './startup-config.js';

const logger = createLogger('gateway');
// Off unless the standard OTEL_* variables configure an exporter.
const tracing = startTracing('clinic-gateway');
try {
  const gateway = await startGateway({ ...(await gatewaySettings()), logger });
  stopOnSignals(logger, async () => {
    await gateway.stop();
    await tracing?.stop();
  });
} catch (err) {
  if (err instanceof ConfigurationError) logger.fatal({ problems: err.problems }, err.message);
  else logger.fatal({ err }, 'gateway failed to start');
  process.exit(1);
}
