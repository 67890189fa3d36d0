// The set of workflows the worker registers, by name.
export { deliveryWorkflow } from './delivery.js';
