import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const COMMIT_CHILD = fileURLToPath(new URL('./children/commit-child.ts', import.meta.url));
const SYNC_CHILD = fileURLToPath(new URL('./children/sync-child.ts', import.meta.url));

/** Runs the writer (commit-child.ts); resolves with the ids it acknowledged once it was killed. */
export function runWriter(file: string, run: number, commits: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', COMMIT_CHILD, file, String(run), String(commits)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`writer ended with code ${String(code)}, not killed: ${output}`));
        return;
      }
      resolve([...output.matchAll(/^committed (\S+)$/gm)].map((match) => match[1] ?? ''));
    });
  });
}

/** Starts the child sync; resolves with how it ended, killing it `killAfterMs` after it began. */
export function runChildSync(replica: string, tokens: string, killAfterMs: number | null) {
  return new Promise<'drained' | 'killed'>((resolve, reject) => {
    // Node itself with tsx's loader: SIGKILL of the tsx wrapper would leave its Node child
    // running on, pushing beside the next run.
    const child = spawn(process.execPath, ['--import', 'tsx', SYNC_CHILD, replica, tokens], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (killAfterMs !== null && output.includes('syncing\n')) {
        setTimeout(() => child.kill('SIGKILL'), killAfterMs).unref();
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0 && output.includes('drained')) resolve('drained');
      else reject(new Error(`sync child ended with code ${String(code)}: ${output}`));
    });
  });
}
