// Run as its own process by telemetry.test.ts: loads what a Herald process loads, creates its
// telemetry from the environment, and prints which OpenTelemetry packages are in the module cache.
import { createRequire } from 'node:module';
import { pino } from 'pino';
import { loadConfig } from '../../config/config.js';
import '../../process/run-herald.js';
import { createTelemetry, noTelemetry } from '../telemetry.js';

const telemetry = await createTelemetry(loadConfig(process.env, { encryption: false }).telemetry, pino({ level: 'silent' }));
const MARK = '/node_modules/';
/** `…/node_modules/a/node_modules/@scope/b/lib/x.js` → `a>@scope/b`: nested copies keep their parent. */
const packageOf = (path: string): string =>
  path.slice(path.indexOf(MARK) + MARK.length).split(MARK).map((part) => {
    const [first = '', second = ''] = part.split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }).join('>');
const packages = new Set(Object.keys(createRequire(import.meta.url).cache).filter((p) => p.includes(MARK)).map(packageOf));
process.stdout.write(JSON.stringify({ isNoTelemetry: telemetry === noTelemetry, packages: [...packages].sort() }));
await telemetry.shutdown();
