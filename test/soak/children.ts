import { spawn } from 'node:child_process';
import { childArgs } from './bundle';

/** Runs the writer (commit-child.ts); resolves with the ids it acknowledged once it was killed. */
export async function runWriter(file: string, run: number, commits: number): Promise<string[]> {
  const args = await childArgs('writer', [file, String(run), String(commits)]);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
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
export async function runChildSync(
  replica: string,
  tokens: string,
  killAfterMs: number | null,
  pushBatchSize?: number,
): Promise<'drained' | 'killed'> {
  // Node itself on the bundle, no wrapper: SIGKILL of a wrapper (such as tsx's) would leave its
  // Node child running on, pushing beside the next run.
  const args = await childArgs('sync', [
    replica,
    tokens,
    ...(pushBatchSize ? [String(pushBatchSize)] : []),
  ]);
  return new Promise<'drained' | 'killed'>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
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
