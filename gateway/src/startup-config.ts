import { ConfigCheck, databaseTarget, redisUrl, signingSecret } from '@clinic/service-kit';
import { browserConfig } from './browser-config.js';
import { gatewayConfig } from './config.js';
import type { GatewayOptions } from './create-gateway.js';
import { tokenVerifierConfig } from './identity/identity-config.js';

/**
 * Everything the gateway reads from its environment, checked before anything starts: a
 * ConfigurationError lists every problem at once, so one restart fixes them all.
 */
export async function gatewaySettings(env: NodeJS.ProcessEnv = process.env): Promise<Omit<GatewayOptions, 'logger'>> {
  const check = new ConfigCheck();
  const config = gatewayConfig(env, check);
  const tokens = await tokenVerifierConfig(env, check);
  const secret = check.read(() => signingSecret(env), '');
  check.read(() => databaseTarget('audit', env), undefined);
  const shared = check.read(() => redisUrl(env), undefined);
  const browser = await check.readAsync(() => browserConfig(env), undefined);
  check.done();
  return { ...config, ...browser, tokens, signingSecret: secret, ...(shared ? { redisUrl: shared } : {}) };
}
