/** `npm run harness -- [--data-dir DIR] [--port N] [--static DIR]`: the app router on 127.0.0.1. */
import { parseArgs } from 'node:util';
import { describeHarnessKey, startHarness } from './server';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: './.wardline-data/harness' },
    port: { type: 'string', default: '5174' },
    static: { type: 'string' },
  },
});

const harness = await startHarness({
  dataDir: values['data-dir'],
  port: Number(values.port),
  ...(values.static ? { staticDir: values.static } : {}),
});
console.log(`listening on ${harness.url}`);
console.log(describeHarnessKey(values['data-dir']));
const stop = () => {
  void harness.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
