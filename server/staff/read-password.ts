/**
 * Reads a first password from standard input, never from the command line (argv is visible to
 * every user of the machine and lands in shell history). At a terminal the typing is not shown.
 */
import type { Readable } from 'node:stream';

async function readAll(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function readHidden(prompt: (text: string) => void): Promise<string> {
  const stdin = process.stdin;
  prompt('First password (not shown): ');
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      prompt('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') {
          finish();
          return;
        }
        if (char === '\u0003') {
          finish(new Error('Cancelled.'));
          return;
        }
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    stdin.on('data', onData);
  });
}

/** The first line of standard input (or what is typed at a terminal), without its line ending. */
export async function readPasswordFromStdin(prompt: (text: string) => void): Promise<string> {
  if (process.stdin.isTTY) return readHidden(prompt);
  const [firstLine = ''] = (await readAll(process.stdin)).split(/\r?\n/);
  return firstLine;
}
