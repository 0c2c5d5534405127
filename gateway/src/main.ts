import { createLogger, stopOnSignals } from '@clinic/service-kit';
import { browserConfig } from './browser-config.js';
import { gatewayConfig } from './config.js';
import { startGateway } from './create-gateway.js';

const logger = createLogger('gateway');
try {
  const gateway = await startGateway({ ...gatewayConfig(), ...(await browserConfig()), logger });
  stopOnSignals(logger, () => gateway.stop());
} catch (err) {
  logger.fatal({ err }, 'gateway failed to start');
  process.exit(1);
}
