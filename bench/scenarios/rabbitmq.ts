import { now } from '../clock.js';
import { Ledger } from '../ledger.js';
import { eventIds, publisher, type Publisher } from '../load.js';
import { consumeIntoReceiver, rabbitMqDestination } from '../rabbitmq.js';
import { rampSteps, runClosedStep, type ClosedStep } from './closed-step.js';
import { BENCH_TOPIC, measured, within, type ScenarioContext, type ScenarioResult } from './context.js';

/**
 * (r) RabbitMQ: (a)'s closed loop, at the steps (a) ran and with its step duration, with one
 * `rabbitmq` destination instead of a webhook. The bench declares a topic exchange bound to a
 * queue it consumes itself, acking each message; every message is recorded with the receiver, so
 * the ledger (lost, duplicates, publish → delivered) works as for webhooks. The broker is measured
 * as its own process, so the report can put CPU per delivery of both destination types side by side.
 */

export interface RabbitMqDetails {
  readonly steps: readonly ClosedStep[];
  readonly exchange: string;
  readonly queue: string;
  /** True when the bench started the node (and measured it as `rabbitmq`). */
  readonly broker_started: boolean;
  /** Messages without an event id: acked, not counted; non-zero means a wiring problem. */
  readonly unidentified: number;
}

export async function runRabbitMq(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { options, receiver, stack } = ctx;
  if (!stack.rabbitmq) throw new Error('no RabbitMQ: the stack was started without one (give --rabbitmq-url with --api)');
  const tag = `rmq-${ctx.runId}`;
  const exchange = `herald-bench-${ctx.runId}`;
  const consumer = await consumeIntoReceiver({ url: stack.rabbitmq.url, exchange, queue: exchange, bindingKey: BENCH_TOPIC, tag, receiver });
  try {
    const tenantId = `bench-${ctx.runId}-rabbitmq`;
    await stack.api.createTenant(tenantId);
    const destinationId = await stack.api.createDestination(tenantId, {
      type: 'rabbitmq', topics: [BENCH_TOPIC], ...rabbitMqDestination(stack.rabbitmq.url, exchange),
    });
    const pub = (ledger: Ledger, prefix: string) => publisher({
      api: stack.api, ledger, tenantId, topic: BENCH_TOPIC, tags: new Map([[destinationId, tag]]),
      payloadBytes: options.payloadBytes, nextId: eventIds(prefix),
    });
    await warmUp(ctx, tag, (ledger) => pub(ledger, `rmq-warm-${ctx.runId}`));
    return await measured(ctx, 'rabbitmq', async () => {
      const ledger = new Ledger(receiver, [tag]);
      const steady = pub(ledger, tag);
      const steps: ClosedStep[] = [];
      for (const concurrency of rampSteps(ctx)) {
        const step = await runClosedStep(ctx, {
          label: 'r rabbitmq', concurrency, durationMs: options.stepDurationS * 1000, ledger, publisher: steady, first: steps.length === 0,
        });
        steps.push(step);
        if (ctx.signal.aborted) break;
        ctx.progress(`r rabbitmq  c=${concurrency}  ${step.deliveries_per_s} deliveries/s  delivery p50 ${step.delivery_ms.p50} p99 ${step.delivery_ms.p99} ms`);
      }
      await ledger.drain(options.drainTimeoutS * 1000, undefined, ctx.signal);
      ledger.close();
      const details: RabbitMqDetails = {
        steps, exchange, queue: exchange, broker_started: stack.pids.rabbitmq() !== null, unidentified: consumer.unidentified,
      };
      const result = ledger.result();
      receiver.forget(tag);
      const reasons = [
        ...(consumer.lost ? [`the bench's consumer lost the broker: ${consumer.lost}`] : []),
        ...(consumer.unidentified > 0 ? [`${consumer.unidentified} messages carried no event id`] : []),
      ];
      return { ledgers: { rabbitmq: result }, details: { ...details }, reasons };
    });
  } finally {
    await consumer.close();
  }
}

/** Five events one after the other: the worker's AMQP connection and confirm channel are open before a step. */
async function warmUp(ctx: ScenarioContext, tag: string, makePublisher: (ledger: Ledger) => Publisher): Promise<void> {
  const ledger = new Ledger(ctx.receiver, [tag]);
  const pub = makePublisher(ledger);
  for (let i = 0; i < 5; i++) await within((await pub.publish(now())).delivered, 120_000, ctx.signal);
  ledger.close();
  const result = ledger.result();
  ctx.receiver.forget(tag);
  if (result.missing > 0 || result.events_published === 0) {
    throw new Error(`rabbitmq warm-up: ${result.delivered}/${result.deliveries_expected} arrived in 120 s${result.publish_error_samples[0] ? ` (${result.publish_error_samples[0]})` : ''}; see ${ctx.stack.logDir}`);
  }
}
