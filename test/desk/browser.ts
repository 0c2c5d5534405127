/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Real Chromium for the desk's browser tests: Debian's `chromium` package (`.ci/run` installs it),
 * driven by playwright-core through `executablePath`; no browser is downloaded.
 */
export const DESK_ROOT = fileURLToPath(new URL('../../apps/desk/', import.meta.url));
export const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));

export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('desk browser tests: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)');
  return found;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** Builds the desk as `npm start` does (vite build) into a fresh folder. */
export function buildDesk(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'clinic-desk-'));
  const viteRoot = dirname(createRequire(join(DESK_ROOT, 'package.json')).resolve('vite/package.json'));
  const vite = join(viteRoot, 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], { cwd: DESK_ROOT, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } });
  return outDir;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core on the page as it is: no serious or critical violation. */
export async function expectAccessible(page: Page): Promise<void> {
  // Evaluated through the DevTools protocol, so the desk's content security policy stays as it is.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => JSON.stringify(n.target)).slice(0, 3) }));
  });
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
}

/** Every visible control of the page is reached by pressing Tab. */
export async function expectKeyboardReachable(page: Page): Promise<void> {
  const total = await page.evaluate(() => {
    const controls = [...document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary')].filter(
      (el) => el.checkVisibility() && !(el as HTMLButtonElement).disabled && !el.closest('dialog:not([open])'),
    );
    controls.forEach((el, i) => el.setAttribute('data-tab-probe', String(i)));
    (document.activeElement as HTMLElement | null)?.blur();
    return controls.length;
  });
  const reached = new Set<string>();
  // Radio groups take one Tab stop: count a group as reached when one of its buttons is.
  for (let i = 0; i < total * 2 + 10 && reached.size < total; i += 1) {
    await page.keyboard.press('Tab');
    const probes = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement | null;
      if (!el) return [];
      if (el.type === 'radio' && el.name) return [...document.querySelectorAll<HTMLElement>(`input[type=radio][name="${el.name}"]`)].map((r) => r.getAttribute('data-tab-probe') ?? '');
      return [el.getAttribute('data-tab-probe') ?? ''];
    });
    for (const probe of probes) if (probe) reached.add(probe);
  }
  const missed = await page.evaluate((seen) => [...document.querySelectorAll<HTMLElement>('[data-tab-probe]')].filter((el) => !seen.includes(el.getAttribute('data-tab-probe') ?? '')).map((el) => el.outerHTML.slice(0, 120)), [...reached]);
  expect(missed).toEqual([]);
}

/** Nothing in the browser's persistent storage: no token, no patient data. */
export async function expectNothingStored(page: Page): Promise<void> {
  const stored = await page.evaluate(async () => ({
    localStorage: Object.keys(localStorage),
    sessionStorage: Object.keys(sessionStorage),
    cookies: document.cookie,
    indexedDB: (await indexedDB.databases()).map((d: IDBDatabaseInfo) => d.name),
    caches: await caches.keys(),
  }));
  expect(stored).toEqual({ localStorage: [], sessionStorage: [], cookies: '', indexedDB: [], caches: [] });
}
