// Public surface of the strict OpenAI-compatible loopback endpoint.
export { startEndpoint, type Endpoint } from './server.js';
export { runEndpointCommand } from './command.js';
export { FaultPlan, loadFaultFile, validateFaultRules, describeFault } from './faults.js';
export { replyFor, echoOf, countUserMessages, lastUserText, messageText } from './replies.js';
export { isLoopbackHost } from './options.js';
export { loraNotEnabledMessage } from './flavors.js';
export type { EndpointOptions, FaultRule, FaultType, Flavor, LiveStream, PaceVariation, RelayFacts, StreamProgress, TrafficEntry } from './types.js';
export { FLAVORS } from './types.js';
