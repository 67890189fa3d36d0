#!/usr/bin/env node
// `herald <command>` from anywhere (package.json "bin", e.g. after `npm link`): loads the TypeScript
// CLI through tsx in this process, so signals reach Herald itself and its exit code is this one's.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
