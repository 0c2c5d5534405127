import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

/**
 * A real OpenID Connect provider in this process (panva's oidc-provider): discovery, JWKS, the
 * authorization code flow with PKCE and its built-in login and consent pages, JWT access tokens for
 * the gateway's audience, keys generated at start. Tokens carry the claims each test account is
 * given, the way Keycloak or another provider would put them (`realm_access.roles`, `groups`,
 * a clinic id claim, `acr` or `amr`).
 */
export interface TestOidcProvider {
  issuer: string;
  /** The audience its access tokens are for. */
  audience: string;
  /** Logs `accountId` in through the login page and returns the access token issued. */
  login(accountId: string): Promise<string>;
  stop(): Promise<void>;
}

const CLIENT = { client_id: 'clinic-reception-app', client_secret: 'a-client-secret-for-tests-only-0123456789', redirect_uri: 'http://127.0.0.1:9/callback' };
const RESOURCE = 'https://gateway.clinic.example';

export async function startOidcProvider(accounts: Record<string, Record<string, unknown>>, audience = 'clinic-gateway'): Promise<TestOidcProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: `k-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' };

  const provider = new Provider(issuer, {
    clients: [{ ...CLIENT, redirect_uris: [CLIENT.redirect_uri], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post' }],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    findAccount: async (_ctx, id) => (Object.hasOwn(accounts, id) ? { accountId: id, claims: async () => ({ sub: id }) } : undefined),
    features: {
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: 'api', audience, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
      },
    },
    // The account's role, clinic id and authentication context go into the access token.
    extraTokenClaims: async (_ctx, token) => {
      const accountId = (token as { accountId?: string }).accountId;
      return accountId && Object.hasOwn(accounts, accountId) ? accounts[accountId] : {};
    },
  });
  provider.on('server_error', (_ctx, err) => console.error('oidc-provider', err));
  server.on('request', provider.callback());

  /** The browser's side of the flow: follows redirects, keeps cookies, submits the dev login and consent forms. */
  async function login(accountId: string): Promise<string> {
    const cookies = new Map<string, string>();
    const send = async (url: string, init: RequestInit = {}) => {
      const response = await fetch(new URL(url, issuer), { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const at = (pair ?? '').indexOf('=');
        cookies.set((pair ?? '').slice(0, at), (pair ?? '').slice(at + 1));
      }
      await response.arrayBuffer();
      return response;
    };
    const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = new URLSearchParams({ client_id: CLIENT.client_id, response_type: 'code', scope: 'openid api', redirect_uri: CLIENT.redirect_uri, code_challenge: challenge, code_challenge_method: 'S256', resource: RESOURCE });
    let location = `/auth?${authorize}`;
    const prompts = ['login', 'consent'];
    for (let step = 0; step < 12; step += 1) {
      if (location.startsWith(CLIENT.redirect_uri)) {
        const code = new URL(location).searchParams.get('code');
        if (!code) throw new Error(`oidc: no code in the redirect: ${new URL(location).searchParams.get('error_description')}`);
        const token = await fetch(new URL('/token', issuer), form({ grant_type: 'authorization_code', code, redirect_uri: CLIENT.redirect_uri, client_id: CLIENT.client_id, client_secret: CLIENT.client_secret, code_verifier: verifier, resource: RESOURCE }));
        const body = (await token.json()) as { access_token?: string; error_description?: string };
        if (!body.access_token) throw new Error(`oidc: no access token: ${body.error_description}`);
        return body.access_token;
      }
      const response = location.startsWith('/interaction/') && prompts.length > 0
        ? await send(location, form(prompts.shift() === 'login' ? { prompt: 'login', login: accountId } : { prompt: 'consent' }))
        : await send(location);
      const next = response.headers.get('location');
      if (!next) throw new Error(`oidc: ${location} answered ${response.status} without a redirect`);
      location = next.startsWith(issuer) ? next.slice(issuer.length) : next;
    }
    throw new Error('oidc: the login flow did not end');
  }

  return {
    issuer,
    audience,
    login,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
