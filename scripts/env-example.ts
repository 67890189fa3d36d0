// Prints .env.example from the config schema: `npx tsx scripts/env-example.ts > .env.example`.
import { envKeys } from '../src/config/env-schema.js';

const lines = ['# Herald configuration. Every key, its default and meaning (generated from src/config/env-schema.ts).', ''];
for (const [name, key] of Object.entries(envKeys)) {
  lines.push(`# ${key.description}`);
  lines.push(`# ${name}=${'default' in key ? key.default : ''}`);
  lines.push('');
}
process.stdout.write(lines.join('\n'));
