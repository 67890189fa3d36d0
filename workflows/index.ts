// The set of workflows the worker registers, by name.
export { deliveryWorkflow } from './delivery.js';
export { destinationHealthWorkflow } from './destination-health.js';
// Destination-health runs started before the workflow had its current name keep their type across
// continue-as-new: the same code answers to it.
export { destinationHealthWorkflow as destinationEntityWorkflow } from './destination-health.js';
export { operatorEventsWorkflow } from './operator-events.js';
export { operatorEventDeliveryWorkflow } from './operator-event-delivery.js';
