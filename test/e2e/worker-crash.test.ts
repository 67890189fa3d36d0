import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import { attemptsQuery } from '../../workflows/definitions.js';
import { startTestHerald, TEST_ENV, type TestHerald } from '../harness/herald.js';
import { startReceiver, type Receiver } from '../harness/receiver.js';
import { attemptsOf, deliveryHandle, eventually, publish, tenantWithWebhook } from './fixtures.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let herald: TestHerald;
let receiver: Receiver;
let child: ChildProcess | undefined;

/** `herald worker` as its own OS process, as it runs in production. */
function spawnWorker(): ChildProcess {
  const proc = spawn(`${root}node_modules/.bin/tsx`, ['src/cli.ts', 'worker'], {
    cwd: root,
    env: {
      ...process.env, ...TEST_ENV,
      DATABASE_URL: herald.databaseUrl,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: herald.taskQueue,
      TEMPORAL_SETUP_NAMESPACE: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return proc;
}

beforeAll(async () => {
  herald = await startTestHerald({ RETRY_SCHEDULE: '3,1' }, { worker: false });
  receiver = await startReceiver();
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await herald?.close();
  await receiver?.close();
});

it('when the worker process is killed during the retry schedule and restarted, then the delivery still finishes', async () => {
  let calls = 0;
  receiver.setResponder(() => (++calls === 1 ? { status: 500 } : { status: 200 }));
  const { tenantId, destinationId } = await tenantWithWebhook(herald, `${receiver.url}/crash`);
  child = spawnWorker();
  const { id } = await publish(herald, { tenant_id: tenantId });
  await receiver.waitFor(1, 60_000);

  // Attempt 1 failed; attempt 2 is 3 s away on a durable timer. Kill the worker hard.
  child.kill('SIGKILL');
  await new Promise((r) => child!.once('exit', r));
  await new Promise((r) => setTimeout(r, 3500));
  expect(receiver.received).toHaveLength(1);

  child = spawnWorker();
  const handle = deliveryHandle(herald, tenantId, id, destinationId);
  expect(await handle.result()).toEqual({ status: 'delivered', attemptCount: 2 });
  expect(receiver.received).toHaveLength(2);
  const attempts = await eventually(() => attemptsOf(herald, id), (a) => a.length === 2);
  expect(attempts.map((a) => a.status)).toEqual(['failed', 'success']);
  expect((await handle.query(attemptsQuery).catch(() => null))?.status ?? 'delivered').toBe('delivered');
});
