// The terminal engine's public surface (re-exports only). Knows nothing about wg.
export { TerminalSession, type SpawnOptions } from './session.js';
export type { Snapshot, EvidencePaths } from './evidence/snapshot.js';
export type { TextWaitOptions } from './session-waits.js';
export { Screen, type Cursor, type ScreenMatch } from './screen.js';
export { WaitError, SpawnError, SessionClosedError, formatWaitMessage, describeExit, timeoutAsUndefined, type WaitReason, type WaitFailure } from './errors.js';
export type { ExitInfo, Region, Disposable } from './types.js';
export { DEFAULT_WAIT_TIMEOUT_MS, heldFor, type WaitOptions, type Check, type CheckContext } from './wait.js';
export { keyBytes, pasteBytes, KEY_NAMES } from './keys.js';
export { ptyBackendName, loadPtyBackend } from './pty.js';
export type { QueryLogEntry } from './query-log.js';
export type { DisposeResult } from './teardown.js';
export { CastRecorder } from './evidence/asciicast.js';
export { renderSvg, paletteColor } from './evidence/svg.js';
export { replayCast, parseCast, renderHistory, type ReplayFrame } from './replay.js';
