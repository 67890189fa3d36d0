import { proxyLocalActivities } from '@temporalio/workflow';
import type { FloorActivities, FloorInput } from './floor-activity.js';

/**
 * The Temporal floor: the least a delivery can cost on Temporal. One workflow whose only step is
 * one local activity doing the webhook POST, so a delivery is one workflow task and one marker.
 * The timeout is Herald's default per-attempt timeout (DELIVERY_TIMEOUT_SECONDS).
 */

const { post } = proxyLocalActivities<FloorActivities>({ startToCloseTimeout: '5s' });

export async function floorWorkflow(input: FloorInput): Promise<void> {
  await post(input);
}
