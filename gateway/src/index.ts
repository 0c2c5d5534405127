export { startGateway, type GatewayOptions } from './create-gateway.js';
export { gatewayConfig, type GatewayConfig } from './config.js';
export type { GatewayContext } from './context.js';
