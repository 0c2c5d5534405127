import { readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createRemoteJWKSet } from 'jose';
import Provider from 'oidc-provider';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startClinicSystem, type ClinicSystem } from '../support/clinic-system.js';
import { DOCS, buildDesk, expectAccessible, expectKeyboardReachable, expectNothingStored, launchChromium } from './browser.js';

/**
 * The clinic desk (apps/desk) in real Chromium, served by the gateway like `npm start` serves it,
 * on the real subgraphs: each demo role signs in and sees what its view shows and hides. Each view
 * is checked with axe-core and by keyboard, and photographed into docs/.
 */
// One build of the desk for both suites (as `npm start` builds it).
let deskDir: string;
beforeAll(() => {
  deskDir = buildDesk();
});
afterAll(() => {
  if (deskDir) rmSync(deskDir, { recursive: true, force: true });
});

describe('the clinic desk in Chromium', () => {
  let system: ClinicSystem;
  let browser: Browser;
  let context: BrowserContext;
  let desk: string;

  beforeAll(async () => {
    system = await startClinicSystem({ backend: 'sqlite', demoSignIn: true, gateway: { desk: { dir: deskDir, signIn: { mode: 'demo' } } } });
    desk = system.gateway.url.replace(/\/graphql$/, '/desk/');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });
  afterEach(async () => {
    await context?.close();
  });

  async function signIn(username: string, options: { mfa?: boolean; view?: string } = {}): Promise<Page> {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, timezoneId: 'America/Toronto', locale: 'en-CA' });
    context.setDefaultTimeout(8000);
    const page = await context.newPage();
    await page.goto(desk + (options.view ? `#/${options.view}` : ''));
    await page.getByRole('heading', { name: /Sign in to the clinic desk/ }).waitFor();
    if (options.mfa) await page.getByLabel(/two-factor authentication/).check();
    await page.locator(`button[data-username="${username}"]`).click();
    await page.locator('header .who').waitFor();
    return page;
  }

  const shoot = (page: Page, name: string) => page.screenshot({ path: join(DOCS, `desk-${name}.png`), fullPage: true });
  const noDutyRefusals = async (actorId: string) => {
    const log = await system.query<{ auditLog: { reason: string | null }[] }>(`{ auditLog(actorId: "${actorId}", first: 100) { reason } }`, undefined, { as: 'privacy.fortin' });
    return log.data?.auditLog.filter((e) => e.reason === 'NO_DUTY').length;
  };

  it('lists the demo users on the sign-in page, accessibly, and stores nothing', async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/Toronto', locale: 'en-CA' });
    const page = await context.newPage();
    await page.goto(desk);
    await page.getByRole('heading', { name: /Sign in to the clinic desk/ }).waitFor();
    // The heading shows before the list of users arrives from /dev/demo-users (a busy machine showed the gap).
    await page.getByRole('table', { name: 'Demo clinic users' }).waitFor();
    for (const username of ['dr.tremblay', 'nurse.gagnon', 'reception.roy', 'privacy.fortin', 'patient.caron']) {
      await expect(page.locator(`button[data-username="${username}"]`).count()).resolves.toBe(1);
    }
    await expectAccessible(page);
    await shoot(page, 'sign-in');
    await expectNothingStored(page);
  });

  it("reception: today's schedule with name, phone, insurance number and practitioner; books and cancels; no clinical data", async () => {
    const page = await signIn('reception.roy');
    await expect.poll(() => page.locator('header .who').textContent()).toContain('RECEPTIONIST');
    const caron = page.locator('tr[data-appointment="a-1"]');
    await caron.waitFor();
    await expect.poll(() => caron.textContent()).toMatch(/Jean Caron.*514-555-2002.*CARJ62072118.*Minh Nguyen/);
    await expect(page.getByText('Allergies').count()).resolves.toBe(0);
    await expectAccessible(page);
    await expectKeyboardReachable(page);
    await shoot(page, 'reception');

    // A booking in the past gets the API's own message.
    await page.getByLabel('Patient id').fill('p-bergeron');
    await page.locator('select[name="practitionerId"]').selectOption('e-nguyen');
    await page.getByLabel('Starts at').fill('2020-01-15T09:00');
    await page.getByRole('button', { name: 'Book', exact: true }).last().click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/future/i);

    // A booking in the future is made, shows in that day's schedule and is cancelled there.
    const day = new Date(Date.now() + 30 * 86_400_000).toLocaleDateString('en-CA');
    await page.getByLabel('Starts at').fill(`${day}T10:15`);
    await page.getByLabel('Reason').fill('Asthma review');
    await page.getByRole('button', { name: 'Book', exact: true }).last().click();
    await page.getByRole('status').filter({ hasText: 'Booked for' }).waitFor();
    await page.getByLabel('Day').fill(day);
    const booked = page.locator('tr', { hasText: 'Asthma review' }).filter({ hasText: 'Anne Bergeron' });
    await booked.waitFor();
    await booked.getByRole('button', { name: /Cancel the appointment/ }).click();
    await page.getByRole('status').filter({ hasText: 'Appointment cancelled' }).waitFor();
    await booked.filter({ hasText: 'CANCELLED' }).waitFor();
    await expectNothingStored(page);
  });

  it('privacy office: a restriction created there hides the field in the reception view on its next load, lifting it shows it again', async () => {
    const reception = await signIn('reception.roy');
    const phone = reception.locator('tr[data-appointment="a-1"] td[data-field="phone"]');
    await expect.poll(() => phone.textContent()).toBe('514-555-2002');

    const officeContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'America/Toronto', locale: 'en-CA' });
    officeContext.setDefaultTimeout(8000);
    try {
      const office = await officeContext.newPage();
      await office.goto(desk);
      await office.locator('button[data-username="privacy.fortin"]').click();
      await office.getByRole('heading', { name: 'Privacy office' }).waitFor();
      await office.locator('select[name="restrictionPatient"]').selectOption('p-caron');
      await office.getByRole('radio', { name: 'a whole role' }).check();
      await office.locator('select[name="role"]').selectOption('RECEPTIONIST');
      await office.locator('input[name="restrictField"][value="phone"]').check();
      await office.getByLabel('Reason', { exact: true }).fill('Patient asked that the front desk not see her phone');
      await office.getByRole('button', { name: 'Create the restriction' }).click();
      await office.getByRole('status').filter({ hasText: 'Restriction created' }).waitFor();

      await reception.getByRole('button', { name: 'Refresh' }).click();
      await expect.poll(() => reception.locator('tr[data-appointment="a-1"] td[data-field="phone"] .refusal').textContent()).toBe("hidden at the patient's request");
      await shoot(reception, 'reception-restricted');

      await office.getByRole('button', { name: 'Lift the restriction on Patient.phone' }).click();
      await office.getByRole('status').filter({ hasText: 'Restriction lifted' }).waitFor();
      await reception.getByRole('button', { name: 'Refresh' }).click();
      await expect.poll(() => phone.textContent()).toBe('514-555-2002');
    } finally {
      await officeContext.close();
    }
  });

  it('nurse station: only the patients in her care, never "no care relationship"; records a vital; opens no incident', async () => {
    const page = await signIn('nurse.gagnon');
    const cards = page.locator('li.card[data-patient]');
    await cards.first().waitFor();
    await expect(cards.evaluateAll((els) => els.map((el) => el.getAttribute('data-patient')).sort())).resolves.toEqual(['p-caron', 'p-lefebvre']);
    await expect(page.getByText('no care relationship').count()).resolves.toBe(0);
    await expect.poll(() => page.locator('li.card[data-patient="p-caron"] [data-field="allergies"]').textContent()).not.toBe('');
    await expectAccessible(page);
    await expectKeyboardReachable(page);
    await shoot(page, 'nurse');

    await page.locator('select[name="patientId"]').selectOption('p-caron');
    await page.locator('select[name="kind"]').selectOption('HEART_RATE');
    await page.getByLabel('Value').fill('72 bpm');
    await page.getByRole('button', { name: 'Record' }).click();
    await page.getByRole('status').filter({ hasText: 'Recorded HEART_RATE 72 bpm' }).waitFor();
    await page.locator('li.card[data-patient="p-caron"] [data-field="vitals"]', { hasText: 'HEART_RATE: 72 bpm' }).waitFor();

    for (let i = 0; i < 3; i += 1) await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(noDutyRefusals('e-gagnon')).resolves.toBe(0);
    const incidents = await system.query<{ incidents: { kind: string; description: string }[] }>('{ incidents { kind description } }', undefined, { as: 'privacy.fortin' });
    expect(incidents.data?.incidents.filter((i) => i.description?.includes('e-gagnon'))).toEqual([]);
    await expectNothingStored(page);
  });

  it('physician chart: notes need two-factor sign-in (step-up); a patient without duty shows "no care relationship" until the glass is broken', async () => {
    const page = await signIn('dr.nguyen', { view: 'chart' });
    await page.locator('select[name="chartPatient"]').selectOption('p-caron');
    await page.locator('[data-chart="p-caron"] [data-field="allergies"]').waitFor();
    await page.getByText('needs two-factor sign-in').first().waitFor();
    await page.getByRole('button', { name: 'Sign in again with two-factor authentication' }).click();
    await expect.poll(() => page.locator('header .who').textContent()).toContain('two-factor');
    await page.locator('select[name="chartPatient"]').selectOption('p-caron');
    await page.getByLabel('New note').fill('Foot wound cleaned and dressed.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('Foot wound cleaned and dressed.').waitFor();
    await expectAccessible(page);
    await expectKeyboardReachable(page);
    await shoot(page, 'chart');

    // p-lefebvre: no duty for dr.nguyen.
    await page.getByLabel('Find a patient by name').fill('Lefebvre');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('select[name="chartPatient"] option[value="p-lefebvre"]').waitFor({ state: 'attached' });
    await page.locator('select[name="chartPatient"]').selectOption('p-lefebvre');
    const allergies = page.locator('[data-chart="p-lefebvre"] [data-field="allergies"]');
    await expect.poll(() => allergies.textContent()).toBe('no care relationship');

    await page.getByRole('button', { name: 'Emergency access (break the glass)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Break the glass' });
    await expect.poll(() => dialog.textContent()).toMatch(/recorded in the audit log.*privacy office for review/);
    await dialog.getByLabel(/Justification/).fill('Unconscious in the waiting room, allergies unknown');
    await dialog.getByRole('button', { name: 'Open emergency access' }).click();
    await page.getByRole('status').filter({ hasText: /Emergency access open: \d+ minutes left/ }).waitFor();
    await expect.poll(() => allergies.textContent()).not.toBe('no care relationship');
    // The access gives duty, so the notes follow (two-factor sign-in is on); it lifts no restriction on NOTES.
    await expect.poll(() => page.locator('#notes-title + *').textContent()).not.toContain('no care relationship');
    await shoot(page, 'chart-emergency');
    // Issue 14: the access lands in the privacy officer's review queue, not in the incident register.
    const queue = await system.query<{ reviewItems: { nodes: { actorId: string; patientIds: string[] }[] } }>('{ reviewItems(kind: "EMERGENCY_ACCESS") { nodes { actorId patientIds } } }', undefined, { as: 'privacy.fortin' });
    expect(queue.data?.reviewItems.nodes.some((i) => i.actorId === 'e-nguyen' && i.patientIds.includes('p-lefebvre'))).toBe(true);
    await expectNothingStored(page);
  });

  it('patient portal: the record, who read it, a FHIR download, a consent change and a rectification request', async () => {
    const page = await signIn('patient.caron');
    await page.getByRole('heading', { name: 'My health record' }).waitFor();
    await expect.poll(() => page.locator('[data-field="phone"]').textContent()).toBe('514-555-2002');
    await expect(page.getByRole('table', { name: /Staff reads of your record/ }).locator('tbody tr').count()).resolves.toBeGreaterThan(0);
    await expectAccessible(page);
    await expectKeyboardReachable(page);
    await shoot(page, 'portal');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download my record (FHIR)' }).click()]);
    expect(download.suggestedFilename()).toBe('my-health-record.fhir.json');
    const bundle = JSON.parse(readFileSync(await download.path(), 'utf8')) as { resourceType: string; entry: { resource: { resourceType: string } }[] };
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.entry.map((e) => e.resource.resourceType)).toContain('Patient');

    const newsletter = page.getByRole('checkbox', { name: 'Clinic newsletter' });
    const before = await newsletter.isChecked();
    await newsletter.click();
    await page.getByRole('status').filter({ hasText: 'communication choices were saved' }).waitFor();
    await expect.poll(() => newsletter.isChecked()).toBe(!before);
    const consent = await system.query<{ me: { patient: { communicationConsent: { newsletter: boolean } } } }>('{ me { patient { communicationConsent { newsletter } } } }', undefined, { as: 'patient.caron' });
    expect(consent.data?.me.patient.communicationConsent.newsletter).toBe(!before);

    await page.locator('select[name="field"]').selectOption('address');
    await page.getByLabel('Correct value').fill('12 rue des Érables, Montréal');
    await page.getByLabel('Why').fill('I moved');
    await page.getByRole('button', { name: 'Send the request' }).click();
    await page.getByRole('table', { name: 'My correction requests' }).locator('tr', { hasText: '12 rue des Érables' }).filter({ hasText: 'PENDING' }).waitFor();

    // A restriction request (issue 14): the privacy office decides it; accepted, it is one of my restrictions.
    const restriction = page.getByRole('region', { name: 'Ask for a restriction' });
    await restriction.locator('select[name="role"]').selectOption('RECEPTIONIST');
    await restriction.getByRole('checkbox', { name: 'Phone' }).check();
    await restriction.getByLabel('Reason for the restriction').fill('My cousin works at the front desk');
    await restriction.getByRole('button', { name: 'Send the restriction request' }).click();
    await page.getByRole('status').filter({ hasText: 'must be answered by' }).waitFor();
    const asked = page.getByRole('table', { name: 'My restriction requests' }).locator('tr', { hasText: 'phone hidden from RECEPTIONIST' }).filter({ hasText: 'PENDING' });
    await asked.waitFor();
    await expectAccessible(page);
    const id = await asked.getAttribute('data-request');
    const decided = await system.query(`mutation { decidePatientRequest(patientId: "p-caron", id: "${id}", accept: true, reason: "Granted") { status } }`, undefined, { as: 'privacy.fortin', mfa: true });
    expect(decided.errors).toBeUndefined();
    const reception = await system.query<{ patient: { phone: string | null } }>('{ patient(id: "p-caron") { phone } }', undefined, { as: 'reception.roy' });
    expect(reception.errors?.[0]?.extensions?.reason).toBe('RESTRICTED');
    await expectNothingStored(page);
  });

  it('privacy office: chain status, incidents, rectification decisions, retention (applying it needs two-factor sign-in)', async () => {
    await system.query('mutation { requestRectification(field: "Patient.phone", proposedValue: "514-555-9999", reason: "New number") { id } }', undefined, { as: 'patient.dion' });
    await system.query('mutation { reportIncident(input: { description: "A printed schedule left at the front desk", categories: ["SCHEDULE"] }) { id } }', undefined, { as: 'privacy.fortin' });
    const paper = await system.query('mutation { fileRequestOnPaper(patientId: "p-bergeron", kind: "CONSENT_WITHDRAWAL", details: "Letter") { id } }', undefined, { as: 'privacy.fortin' });
    expect(paper.errors).toBeUndefined();
    const page = await signIn('privacy.fortin');
    await page.getByRole('heading', { name: 'Privacy office' }).waitFor();
    await page.locator('[data-chain="ok"]').waitFor();
    await page.locator('tr[data-incident-kind]').first().waitFor();
    const request = page.locator('li[data-rectification]', { hasText: '514-555-9999' });
    await request.waitFor();
    // The review queue (issues 14, 15): what the watch, emergency accesses and repeated refusals opened.
    const queue = page.getByRole('region', { name: 'Review queue' });
    const item = queue.locator('li[data-review-item]').first();
    await item.waitFor();
    await expectAccessible(page);
    await expectKeyboardReachable(page);
    await shoot(page, 'privacy');

    const open = Number((await queue.getByText(/open items?\./).textContent())?.match(/\d+/)?.[0]);
    await item.getByLabel('Review note').fill('Expected in the course of care');
    await item.getByRole('button', { name: 'Appropriate' }).click();
    await queue.getByRole('status').filter({ hasText: 'Closed as appropriate' }).waitFor();
    const remaining = open - 1;
    await queue.getByText(remaining === 0 ? 'Nothing to review.' : `${remaining} open item${remaining === 1 ? '' : 's'}.`).waitFor();

    await request.getByLabel('Decision reason').fill('Confirmed by phone');
    await request.getByRole('button', { name: 'Accept' }).click();
    await page.getByRole('status').filter({ hasText: 'Request accepted' }).waitFor();

    await page.getByRole('button', { name: 'Apply the retention rules now' }).click();
    await page.getByText('needs two-factor sign-in').waitFor();

    // Requests on the legal clock: a paper request shows with its due date; deciding asks for two-factor sign-in.
    const requests = page.getByRole('region', { name: 'Requests on the legal clock' });
    const card = requests.locator('li[data-patient-request]', { hasText: 'CONSENT_WITHDRAWAL for p-bergeron' });
    await card.waitFor();
    await expect.poll(() => card.textContent()).toMatch(/paper.*answer due/);
    await card.getByLabel('Decision reason').fill('Withdrawn in writing');
    await card.getByRole('button', { name: 'Accept' }).click();
    await requests.getByText('needs two-factor sign-in').waitFor();
    await expectNothingStored(page);
  });

  it('GraphiQL at /graphiql: offline (only this origin), a token pasted in, queries answered, nothing stored', async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const origin = desk.replace(/\/desk\/$/, '');
    const elsewhere: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(origin) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) elsewhere.push(request.url());
    });
    await page.goto(`${origin}/graphql`, { waitUntil: 'load' });
    await page.waitForURL(`${origin}/graphiql`);
    await page.getByLabel('Bearer token').fill(await system.token('reception.roy'));
    // On a busy machine the editor may still be starting when the button is first clicked: click again until it answers.
    const answered = page.locator('.graphiql-response').filter({ hasText: 'e-roy' });
    for (let attempt = 0; attempt < 6 && !(await answered.isVisible()); attempt += 1) {
      await page.locator('.graphiql-execute-button').click();
      await answered.waitFor({ timeout: 7_500 }).catch(() => undefined);
    }
    await answered.waitFor();
    await shoot(page, 'graphiql');
    expect(elsewhere).toEqual([]);
    await expectNothingStored(page);
  }, 90_000);

  it('other roles: a view outside the role says so instead of breaking', async () => {
    const page = await signIn('billing.cote', { view: 'reception' });
    await page.getByRole('heading', { name: 'Reception desk' }).waitFor();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('not part of your role');
  });
});

const CLIENT_ID = 'clinic-desk';
const AUDIENCE = 'https://api.clinic.example';
const ROLE_OF: Record<string, string> = { 'e-tremblay': 'PHYSICIAN', 'e-roy': 'RECEPTIONIST' };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Production sign-in: the desk at a real OpenID Connect provider (panva's oidc-provider, its
 * development login pages), authorization code flow with PKCE, and the gateway verifying the
 * provider's JWT access tokens against its JWKS. Demo sign-in is then absent.
 */
describe('the clinic desk signing in with OpenID Connect (code + PKCE)', () => {
  let system: ClinicSystem;
  let browser: Browser;
  let provider: Server;
  let issuer: string;
  let desk: string;
  const authorizationRequests: URL[] = [];

  beforeAll(async () => {
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    // The gateway's port is only known once it listens: the provider accepts any loopback /desk/ redirect.
    const oidc = new Provider(issuer, {
      clients: [{ client_id: CLIENT_ID, token_endpoint_auth_method: 'none', redirect_uris: ['http://127.0.0.1/desk/'], grant_types: ['authorization_code'], response_types: ['code'] }],
      pkce: { required: () => true },
      // The desk calls the token endpoint from its own origin, as single-page apps do.
      clientBasedCORS: () => true,
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
      features: {
        devInteractions: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => AUDIENCE,
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({ scope: 'openid', audience: AUDIENCE, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
        },
      },
      findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
      extraTokenClaims: async (_ctx, token) => ('accountId' in token && typeof token.accountId === 'string' ? { role: ROLE_OF[token.accountId], amr: ['pwd'] } : {}),
      loadExistingGrant: async (ctx) => {
        // A first-party app: no consent screen.
        const session = ctx.oidc.session;
        const client = ctx.oidc.client;
        if (!session?.accountId || !client) return undefined;
        const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
        grant.addOIDCScope('openid profile');
        grant.addResourceScope(AUDIENCE, 'openid');
        await grant.save();
        return grant;
      },
    });
    // Loopback redirect URIs may use any port (RFC 8252 §7.3 style), as the gateway's port is chosen at start.
    const clientPrototype = Object.getPrototypeOf(await oidc.Client.find(CLIENT_ID)) as { redirectUriAllowed(uri: string): boolean };
    const allowed = clientPrototype.redirectUriAllowed;
    clientPrototype.redirectUriAllowed = function (this: unknown, uri: string) {
      const url = new URL(uri);
      return (url.hostname === '127.0.0.1' && url.pathname === '/desk/') || allowed.call(this, uri);
    };
    oidc.use(async (ctx, next) => {
      if (ctx.path === '/auth') authorizationRequests.push(new URL(ctx.href));
      await next();
    });
    provider = oidc.listen(port, '127.0.0.1');

    system = await startClinicSystem({
      backend: 'sqlite',
      gateway: {
        tokens: { issuer, audience: AUDIENCE, algorithms: ['RS256'], key: createRemoteJWKSet(new URL(`${issuer}/jwks`)) },
        desk: { dir: deskDir, signIn: { mode: 'oidc', authority: issuer, clientId: CLIENT_ID } },
      },
    });
    desk = system.gateway.url.replace(/\/graphql$/, '/desk/');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await system?.stop();
    provider?.close();
  });

  it("signs in at the provider with a PKCE code flow and reads with the provider's token; nothing is stored", async () => {
    // A browser on a zone 19 hours ahead of the clinic's (most of the day, its date is the next
    // one): the desk still opens on the clinic's day, so today's appointment a-1 is there.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Pacific/Kiritimati' });
    context.setDefaultTimeout(10_000);
    try {
      const page = await context.newPage();
      await page.goto(desk);
      await page.getByRole('button', { name: "Sign in with the clinic's identity provider" }).click();
      await page.waitForURL((url) => url.href.startsWith(issuer));
      await page.locator('input[name="login"]').fill('e-roy');
      await page.locator('input[name="password"]').fill('any');
      await page.locator('button[type="submit"]').click();
      await page.waitForURL((url) => url.href.startsWith(desk));
      await expect.poll(() => page.locator('header .who').textContent()).toContain('RECEPTIONIST');
      await page.locator('tr[data-appointment="a-1"]').waitFor();

      const authorize = authorizationRequests[0];
      expect(authorize?.searchParams.get('response_type')).toBe('code');
      expect(authorize?.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorize?.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(new URL(page.url()).search).toBe('');
      await expectNothingStored(page);
      expect((await fetch(`${desk.replace(/\/desk\/$/, '')}/dev/demo-users`)).status).toBe(404);
    } finally {
      await context.close();
    }
  });
});
