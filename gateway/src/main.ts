import { ConfigurationError, createLogger, stopOnSignals } from '@clinic/service-kit';
import { startGateway } from './create-gateway.js';
import { gatewaySettings } from './startup-config.js';

const logger = createLogger('gateway');
try {
  const gateway = await startGateway({ ...(await gatewaySettings()), logger });
  stopOnSignals(logger, () => gateway.stop());
} catch (err) {
  if (err instanceof ConfigurationError) logger.fatal({ problems: err.problems }, err.message);
  else logger.fatal({ err }, 'gateway failed to start');
  process.exit(1);
}
