import { createLogger, stopOnSignals } from '@clinic/service-kit';
import { gatewayConfig } from './config.js';
import { startGateway } from './create-gateway.js';

const logger = createLogger('gateway');
try {
  const gateway = await startGateway({ ...gatewayConfig(), logger });
  stopOnSignals(logger, () => gateway.stop());
} catch (err) {
  logger.fatal({ err }, 'gateway failed to start');
  process.exit(1);
}
