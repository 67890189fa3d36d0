/** Builders for destination tests: plain records with overridable fields. */
import { randomUUID } from 'node:crypto';
import type { Destination } from '../../domain/types.js';
import type { DestinationOptions } from '../options.js';
import { defaultDestinationOptions } from '../options.js';
import type { DeliveryEvent, DestinationProvider, ProviderDeps } from '../types.js';

export function makeEvent(overrides: Partial<DeliveryEvent> = {}): DeliveryEvent {
  return {
    id: `evt_${randomUUID()}`,
    topic: 'order.created',
    time: new Date('2024-05-01T10:00:00.000Z'),
    metadata: {},
    data: { order_id: 'ord_1', amount: 4200, note: 'Zoë 🎉' },
    ...overrides,
  };
}

export function makeDestination(overrides: Partial<Destination> = {}): Destination {
  const now = new Date('2024-05-01T09:00:00.000Z');
  return {
    id: `des_${randomUUID()}`,
    tenantId: 'tenant_1',
    type: 'webhook',
    topics: ['*'],
    filter: null,
    config: {},
    credentials: {},
    deliveryMetadata: {},
    metadata: {},
    createdAt: now,
    updatedAt: now,
    disabledAt: null,
    failing: false,
    ...overrides,
  };
}

/** Default options with webhook overrides; loopback allowed so tests reach their local receiver. */
export function makeOptions(
  overrides: Partial<Omit<DestinationOptions, 'webhook' | 'hookdeck'>> & {
    webhook?: Partial<DestinationOptions['webhook']>;
    hookdeck?: Partial<DestinationOptions['hookdeck']>;
  } = {},
): DestinationOptions {
  const defaults = defaultDestinationOptions();
  const { webhook, hookdeck, ...rest } = overrides;
  return {
    ...defaults,
    userAgent: 'Herald-Test/1.0',
    ...rest,
    webhook: { ...defaults.webhook, allowedNetworks: ['127.0.0.0/8', '::1/128'], ...webhook },
    hookdeck: { ...defaults.hookdeck, ...hookdeck },
  };
}

/** A wall clock and a logger that drops everything. */
export function makeProviderDeps(): ProviderDeps {
  return { clock: () => new Date(), logger: { debug: () => undefined, warn: () => undefined } };
}

/** A provider built by `factory` with test options (see `makeOptions`) and silent dependencies. */
export function makeProvider(
  factory: (options: DestinationOptions, deps: ProviderDeps) => DestinationProvider,
  options: DestinationOptions = makeOptions(),
): DestinationProvider {
  return factory(options, makeProviderDeps());
}
