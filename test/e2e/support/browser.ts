/**
 * One headless Chromium per test file (the machine's own, never a downloaded one: see
 * scripts/find-browser.ts), a 1366×768 page, and helpers a ward scenario needs: sign in,
 * screenshot, accessibility check.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { locateBrowser, NO_BROWSER } from '../../../scripts/find-browser';

const SCREENSHOTS = resolve(import.meta.dirname, '../../../test-results/e2e');

/** The browser `npm test` found (or installed) before it started; one sentence when there is none. */
function chromiumPath(): string {
  const found = locateBrowser({ env: process.env, platform: process.platform, mayInstall: false });
  if (found.kind === 'found') return found.path;
  throw new Error(found.kind === 'missing' ? found.sentence : NO_BROWSER);
}

export interface E2eBrowser {
  context: BrowserContext;
  newPage(baseUrl: string): Promise<Page>;
  close(): Promise<void>;
}

/**
 * `injectsScripts`: the accessibility check adds axe-core as an inline script, which the
 * renderer's CSP rightly forbids; only that browser bypasses the CSP.
 */
export async function launchBrowser(
  options: { injectsScripts?: boolean } = {},
): Promise<E2eBrowser> {
  const executablePath = chromiumPath();
  const profile = mkdtempSync(join(tmpdir(), 'wardline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
    viewport: { width: 1366, height: 768 },
    // No fade-ins: axe measures a dialog's colours as they are, not half-way through a transition.
    reducedMotion: 'reduce',
    bypassCSP: options.injectsScripts ?? false,
  });
  return {
    context,
    async newPage(baseUrl) {
      const page = await context.newPage();
      // Fail a missing element in seconds, well inside the test's own timeout, with a useful message.
      page.setDefaultTimeout(10_000);
      await page.goto(baseUrl);
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** Signs in through the form, submitting with Enter as a nurse at a keyboard would. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Password', { exact: true }).press('Enter');
  await page.getByTestId('signed-in-user').waitFor();
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
  /** axe's own explanation per node (for contrast: the colours and the ratio it measured). */
  summaries: string[];
}

/** axe-core on the page as it is now; returns the serious and critical violations only. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    interface AxeResult {
      violations: {
        id: string;
        impact: string | null;
        help: string;
        nodes: { target: unknown[]; failureSummary?: string }[];
      }[];
    }
    const axe = (
      window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResult> } }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.map(String).join(' ')),
        summaries: violation.nodes.map((node) => node.failureSummary ?? ''),
      }));
  });
}

/** Answers the re-authentication dialog (renderer/session/reauth-dialog.tsx) with `password`. */
export async function confirmPassword(page: Page, password: string): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
  await dialog.getByLabel('Your password').fill(password);
  await dialog.getByLabel('Your password').press('Enter');
  await dialog.waitFor({ state: 'hidden' });
}
