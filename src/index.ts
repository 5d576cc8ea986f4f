// The public API of wg-tui-e2e, for writing wg TUI specs with vitest on the same engine the
// smoke uses. One import point; everything below is documented where it is defined.
//
//   import { TerminalSession, startEndpoint, runTurn, detectorFor } from 'wg-tui-e2e';
//   import { installMatchers } from 'wg-tui-e2e/matchers';   (or `wg-tui-e2e` itself, below)

// A program in a pty mirrored into a headless xterm: spawn, type, press keys, wait on the screen.
export {
  TerminalSession,
  Screen,
  WaitError,
  SpawnError,
  SessionClosedError,
  keyBytes,
  pasteBytes,
  KEY_NAMES,
  replayCast,
  parseCast,
} from './terminal/index.js';
export type { SpawnOptions, Snapshot, ExitInfo, Region, WaitOptions, ReplayFrame } from './terminal/index.js';

// The strict loopback endpoints (OpenAI-compatible and Anthropic Messages), with faults and a traffic log.
export { startEndpoint, loadFaultFile, FLAVORS } from './endpoint/index.js';
export type { Endpoint, EndpointOptions, FaultRule, Flavor, TrafficEntry } from './endpoint/index.js';

// wg's chat: the surfaces' detectors, the probe, and the table of generations (how each sets a build up and opens its chat).
export { detectorFor, historyReaderFor, SURFACES } from './wg/surfaces/index.js';
export type { TurnContext, TurnDetector, TurnObservation } from './wg/surfaces/observation.js';
export { probeWg } from './wg/probe.js';
export { generationFor, GENERATIONS } from './wg/generations/index.js';
export type { Generation, GenerationName } from './wg/types.js';

// One chat message typed and judged; whole scenarios; the result model every reporter reads.
export { runTurn, type TurnOptions } from './smoke/turn.js';
export { endpointOracle } from './smoke/reply-oracle.js';
export { runSmoke } from './smoke/run.js';
export { normalizeRunOptions, SCENARIOS } from './smoke/options.js';
export { loadRecordings, rejudge } from './smoke/rejudge.js';
export type { MessageResult, ScenarioResult, RunResult, Verdict, Cause } from './report/model.js';

// vitest matchers: toShowText, toHaveReplied, toMatchScreenSnapshot.
export { installMatchers, maskVolatile } from './matchers.js';
