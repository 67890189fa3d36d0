// The set of workflows the worker registers, by name.
export { deliveryWorkflow } from './delivery.js';
export { destinationEntityWorkflow } from './destination-entity.js';
export { operatorEventsWorkflow } from './operator-events.js';
export { operatorEventDeliveryWorkflow } from './operator-event-delivery.js';
