import { InMemoryWebStorage, UserManager, WebStorageStateStore } from 'oidc-client-ts';

/**
 * Production sign-in: the clinic's OpenID Connect provider, authorization code flow with PKCE
 * (oidc-client-ts does both by default for `response_type: 'code'`). The signed-in user, tokens
 * included, is kept in memory only; the only thing in session storage is the short-lived
 * sign-in state (the PKCE verifier) between the redirect and the callback.
 */
export interface OidcSettings {
  authority: string;
  clientId: string;
  scope?: string;
  /** What the provider expects to require two-factor authentication (acr_values); `mfa` when unset. */
  mfaAcrValues?: string;
}

export function deskRedirectUri(): string {
  return new URL(import.meta.env.BASE_URL, window.location.origin).toString();
}

export function createUserManager(settings: OidcSettings): UserManager {
  return new UserManager({
    authority: settings.authority,
    client_id: settings.clientId,
    redirect_uri: deskRedirectUri(),
    post_logout_redirect_uri: deskRedirectUri(),
    response_type: 'code',
    scope: settings.scope ?? 'openid profile',
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
    automaticSilentRenew: false,
  });
}

/** Step-up: sign in again at the provider, asking for two-factor authentication. */
export function signInWithMfa(manager: UserManager, settings: OidcSettings): Promise<void> {
  return manager.signinRedirect({ acr_values: settings.mfaAcrValues ?? 'mfa', prompt: 'login' });
}

/** True when the page is the provider's redirect back with a code. */
export function isSignInCallback(): boolean {
  const params = new URLSearchParams(window.location.search);
  return params.has('code') && params.has('state');
}
