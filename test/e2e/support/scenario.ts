/**
 * One browser scenario per test file: the production renderer served by a harness workstation,
 * one Chromium page at 1366×768, and a screenshot of whatever step fails.
 */
import type { Page } from 'playwright-core';
import type { TestContext } from 'vitest';
import type { Clock } from '../../../main/clock';
import { launchBrowser, screenshot, type E2eBrowser } from './browser';
import { buildRenderer } from './renderer-build';
import { startWorkstation, type E2eWorkstation } from './workstation';

export interface E2eScenario {
  browser: E2eBrowser;
  workstation: E2eWorkstation;
  page: Page;
  close(): Promise<void>;
}

export async function openScenario(options: { clock?: Clock } = {}): Promise<E2eScenario> {
  const staticDir = await buildRenderer();
  const workstation = await startWorkstation(staticDir, options);
  const browser = await launchBrowser();
  const page = await browser.newPage(workstation.harness.url);
  return {
    browser,
    workstation,
    page,
    close: async () => {
      await browser.close();
      await workstation.close();
    },
  };
}

/** For `afterEach`: a failed step leaves its screen beside the scenario's own screenshots. */
export function screenshotFailure(page: () => Page) {
  return async (context: TestContext): Promise<void> => {
    if (context.task.result?.state === 'fail')
      await screenshot(page(), `failed-${context.task.name.replace(/\W+/g, '-')}`);
  };
}
