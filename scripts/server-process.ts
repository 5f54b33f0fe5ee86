/**
 * The central server as the main job and the web demo run it: `npm run server -- serve --demo`
 * in a child process on its own embedded PostgreSQL, exactly as IT would start it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const execFileAsync = promisify(execFile);
const CLI = fileURLToPath(new URL('../server/cli.ts', import.meta.url));

export interface ServerProcess {
  url: string;
  /** A single-use enrollment code for the demo hospital. */
  enrollmentCode(): Promise<string>;
  stop(): Promise<void>;
}

export async function startServerProcess(options: {
  dataDir: string;
  port: number;
  /** An external PostgreSQL shared with other server processes, instead of the embedded one. */
  databaseUrl?: string;
  /** Seed the demo hospital (the main job and web demo do; a second process must not). */
  demo?: boolean;
}): Promise<ServerProcess> {
  const env = options.databaseUrl
    ? { ...process.env, DATABASE_URL: options.databaseUrl }
    : process.env;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      'serve',
      ...(options.demo === false ? [] : ['--demo']),
      '--data-dir',
      options.dataDir,
      '--port',
      String(options.port),
      // A person reads this console: one line per request rather than JSON.
      '--log-format',
      'pretty',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env },
  );
  const url = await listeningUrl(child);
  return {
    url,
    enrollmentCode: async () => {
      const { stdout } = await execFileAsync(
        process.execPath,
        ['--import', 'tsx', CLI, 'enroll-code', '--hospital', 'NGH', '--data-dir', options.dataDir],
        { env },
      );
      return (JSON.parse(stdout) as { code: string }).code;
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once('exit', () => {
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (\S+)/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => {
      reject(
        new Error(`The central server stopped before it was ready (exit code ${String(code)}).`),
      );
    });
  });
}
