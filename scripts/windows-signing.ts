/**
 * electron-updater installs a Windows update only if it is signed by the publisher recorded at
 * build time (app-update.yml publisherName). electron-builder reads that name from the signing
 * certificate; an unsigned build records none, and its workstations would then install any
 * installer the update server hands them. So `npm run dist` makes no unsigned Windows build.
 */
import type { Configuration } from 'electron-builder';

export const UNSIGNED_WINDOWS =
  'Windows installers must be signed, because workstations install only updates signed by the same publisher: set CSC_LINK (or WIN_CSC_LINK) and CSC_KEY_PASSWORD to the code-signing certificate (docs/DEPLOYING.md).';

export type WindowsSigning =
  { ok: true; win: Configuration['win'] | undefined } | { ok: false; sentence: string };

export function windowsSigning(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): WindowsSigning {
  if (platform !== 'win32') return { ok: true, win: undefined };
  if (!env.CSC_LINK && !env.WIN_CSC_LINK) return { ok: false, sentence: UNSIGNED_WINDOWS };
  // Where the name cannot be read from the certificate: its subject's common name.
  const publisher = env.WARDLINE_WIN_PUBLISHER;
  return {
    ok: true,
    win: publisher ? { signtoolOptions: { publisherName: publisher } } : undefined,
  };
}
