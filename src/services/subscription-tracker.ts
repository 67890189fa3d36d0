import type { TenantRepository } from '../db/tenant-repository.js';
import { topicsEqual } from '../domain/topics.js';
import type { Logger } from '../logger.js';
import type { OperatorEventsClient } from '../temporal/operator-events-client.js';

/**
 * Wraps a destination change and emits `tenant.subscription.updated` when it changed the tenant's
 * topic set or destination count. Best effort (as Outpost): the API answer never waits on it.
 */
export function createSubscriptionTracker(deps: { tenants: TenantRepository; operatorEvents: OperatorEventsClient; logger: Logger }) {
  return async function track<T>(tenantId: string, change: () => Promise<T>): Promise<T> {
    if (!deps.operatorEvents.isSubscribed('tenant.subscription.updated')) return change();
    const before = await deps.tenants.summary(tenantId);
    const result = await change();
    const after = await deps.tenants.summary(tenantId);
    if (!topicsEqual(before.topics, after.topics) || before.destinationsCount !== after.destinationsCount) {
      deps.operatorEvents
        .emit('tenant.subscription.updated', tenantId, {
          tenant_id: tenantId,
          topics: after.topics,
          previous_topics: before.topics,
          destinations_count: after.destinationsCount,
          previous_destinations_count: before.destinationsCount,
        })
        .catch((err: unknown) => deps.logger.warn({ err, tenantId }, 'tenant.subscription.updated not emitted'));
    }
    return result;
  };
}

export type SubscriptionTracker = ReturnType<typeof createSubscriptionTracker>;
