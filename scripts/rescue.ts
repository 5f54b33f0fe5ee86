/**
 * `npm run rescue -- export|replay …`: IT's rescue file commands (main/sync/rescue-cli.ts). The
 * administrator's password for `replay` comes from WARDLINE_RESCUE_PASSWORD or stdin's first
 * line, never from the command line (it would stay in the shell's history).
 */
import { createInterface } from 'node:readline';
import { WardError } from '../main/errors';
import { runRescueCli } from '../main/sync/rescue-cli';

async function firstLine(): Promise<string> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

runRescueCli(process.argv.slice(2), {
  out: (line) => {
    process.stdout.write(`${line}\n`);
  },
  password: async () => process.env.WARDLINE_RESCUE_PASSWORD ?? (await firstLine()),
}).catch((error: unknown) => {
  process.stderr.write(`${error instanceof WardError ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
