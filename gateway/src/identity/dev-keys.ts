import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { createFileOnce, dataDir } from '@clinic/service-kit';

/** Local/demo tokens: signed with a key pair generated on first start into the git-ignored data folder. */
export const DEV_ALGORITHM = 'ES256';
export const DEV_ISSUER = 'urn:clinic-federation:dev';
export const DEV_AUDIENCE = 'clinic-gateway';

export interface DevKeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

const keyFile = (dir: string) => join(dir, 'dev-signing-key.jwk.json');

export async function loadOrCreateDevKeys(dir: string = dataDir()): Promise<DevKeyPair> {
  const file = keyFile(dir);
  if (!existsSync(file)) {
    const { privateKey } = await generateKeyPair(DEV_ALGORITHM, { extractable: true });
    const jwk = await exportJWK(privateKey);
    createFileOnce(file, () => JSON.stringify({ ...jwk, alg: DEV_ALGORITHM }));
  }
  const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  const { d: _private, ...publicJwk } = jwk;
  return {
    privateKey: (await importJWK(jwk, DEV_ALGORITHM)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, DEV_ALGORITHM)) as CryptoKey,
  };
}
