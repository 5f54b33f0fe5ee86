/**
 * `npm start`, the main job: the central server with the demo hospital on its embedded
 * PostgreSQL, then the desktop app enrolled with it. Where the Electron binary is not installed
 * (it does not come from the npm registry), it says so and serves the same app to a browser.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildMain } from './build-main';
import { buildRenderer } from './build-renderer';
import { runWebDemo } from './demo-web';
import { startServerProcess } from './server-process';

function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

console.log('Starting the central server with the demo hospital …');
const server = await startServerProcess({ dataDir: './.wardline-server', port: 8080 });
const binary = electronBinary();
if (!binary) {
  console.log(
    '\nThe Electron binary is not installed here (npm ci ran with ELECTRON_SKIP_BINARY_DOWNLOAD, or its download\n' +
      'host is unreachable), so the desktop window cannot open. Serving the same app to your browser instead.\n',
  );
  await runWebDemo(server);
} else {
  const entry = await buildMain();
  await buildRenderer('desktop');
  const app = spawn(binary, [entry], {
    stdio: 'inherit',
    env: {
      ...process.env,
      WARDLINE_SERVER_URL: server.url,
      WARDLINE_ENROLLMENT_CODE: await server.enrollmentCode(),
    },
  });
  app.on('exit', (code) => {
    void server.stop().then(() => process.exit(code ?? 0));
  });
}
