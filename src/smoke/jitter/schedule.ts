import { between, chance, seededRandom, type Random } from './prng.js';

// A person's timing and the races around it, planned from one seed before anything runs: pure, so
// the same seed gives the same schedule (specs check it), and written whole to jitter.json beside
// what actually happened. Each part draws from its own labelled stream (prng.ts), so the plan of one
// message never depends on how many draws another part made.

/** The largest seed `--jitter` takes (sfc32 is seeded with 53 bits: two words of a JS integer). */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/** A message typed as a person types it, and what happens around its reply. */
export interface TurnPlan {
  /** 1-based message number. */
  index: number;
  /** From the turn's start (the previous verdict, or the chat opened) to the first key, ms. */
  thinkMs: number;
  /** After character i, wait keyDelaysMs[i] before the next (one fewer than the characters). */
  keyDelaysMs: number[];
  /** From the last character to Enter, ms. */
  enterGapMs: number;
  /** A resize of the terminal while the reply streams: once `afterShare` of it was sent, to cols×rows, then back after holdMs. */
  resize?: { afterShare: number; cols: number; rows: number; holdMs: number };
  /** A bounded busy loop on one CPU (`--jitter-cpu` only): from startMs after Enter, for durationMs. */
  cpu?: { startMs: number; durationMs: number };
}

/** The embedded endpoint's pace for one chat request: time to first token, and each chunk's gap. */
export interface RequestPace {
  /** Chat request number (1-based, as the endpoint counts them). */
  n: number;
  ttftMs: number;
  /** Multiplies the configured gap between chunks for this request. */
  gapScale: number;
  /** Chunks after which the stream pauses, and for how long (ms): a server's hiccups. */
  pauses: Array<{ afterChunk: number; ms: number }>;
}

export interface JitterSchedule {
  seed: number;
  /** From `wg service start` returning to `wg tui` starting, ms (a person's next command). */
  tuiDelayMs: number;
  turns: TurnPlan[];
  /** The pace of the first requests (those a five-message chat makes, with room for retries); later ones: requestPace(). */
  requests: RequestPace[];
}

export interface ScheduleInput {
  seed: number;
  messages: readonly string[];
  cols: number;
  rows: number;
  /** `--jitter-cpu`: plan busy loops too. */
  cpu: boolean;
}

// Longest CPU burst and resize hold: the schedule stays inside the smallest reply budgets.
const CPU_MAX_MS = 4_000;
const RESIZE_MIN = { cols: 40, rows: 10 };

/** Key gaps of one typist: a steady rate (per run) with bursts of quick keys and pauses to think. */
function keyDelays(random: Random, chars: number, rateMs: number): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < chars; i++) {
    if (chance(random, 0.2))
      gaps.push(between(random, 12, 45)); // a burst: a practised pair of letters
    else if (chance(random, 0.06))
      gaps.push(between(random, 350, 1_400)); // a pause to think or look
    else gaps.push(Math.round(rateMs * (0.6 + random() * 0.9)));
  }
  return gaps;
}

function planTurn(input: ScheduleInput, index: number, text: string, rateMs: number, resizeThis: boolean): TurnPlan {
  const random = seededRandom(input.seed, `turn-${index}`);
  const plan: TurnPlan = {
    index,
    // Often at once (the prompt is there, the person already knows what to type), else a glance.
    thinkMs: chance(random, 0.4) ? 0 : between(random, 100, 1_500),
    keyDelaysMs: keyDelays(random, [...text].length, rateMs),
    enterGapMs: chance(random, 0.8) ? between(random, 30, 400) : between(random, 400, 2_000),
  };
  if (resizeThis) {
    plan.resize = {
      afterShare: Math.round((0.05 + random() * 0.6) * 100) / 100,
      cols: Math.max(RESIZE_MIN.cols, input.cols - between(random, 8, 60)),
      rows: Math.max(RESIZE_MIN.rows, input.rows - between(random, 3, 16)),
      holdMs: between(random, 150, 1_500),
    };
  }
  if (input.cpu && chance(random, 0.6)) plan.cpu = { startMs: between(random, 0, 1_500), durationMs: between(random, 500, CPU_MAX_MS) };
  return plan;
}

/** The pace of chat request `n` under `seed`: a pure function, so requests past the planned ones follow the same seed. */
export function requestPace(seed: number, n: number): RequestPace {
  const random = seededRandom(seed, `request-${n}`);
  const roll = random();
  // Mostly a warm server; sometimes a long prefill or a queue in front of it.
  const ttftMs = roll < 0.6 ? between(random, 30, 600) : roll < 0.9 ? between(random, 600, 2_500) : between(random, 2_500, 6_000);
  const gapScale = Math.round((0.3 + random() * 1.7) * 100) / 100;
  const pauses: RequestPace['pauses'] = [];
  for (let k = between(random, 0, 3); k > 0; k--) pauses.push({ afterChunk: between(random, 1, 80), ms: between(random, 150, 1_500) });
  pauses.sort((a, b) => a.afterChunk - b.afterChunk);
  return { n, ttftMs, gapScale, pauses };
}

/** The whole schedule of one scenario run. */
export function planJitter(input: ScheduleInput): JitterSchedule {
  const random = seededRandom(input.seed, 'run');
  // Right away about a third of the time (the command typed while the service starts), else a few seconds.
  const tuiDelayMs = chance(random, 0.3) ? 0 : between(random, 100, 3_000);
  const rateMs = between(random, 90, 220);
  // One message's reply always sees a resize; the others sometimes.
  const always = between(random, 1, Math.max(1, input.messages.length));
  const resizes = input.messages.map((_, i) => i + 1 === always || chance(random, 0.25));
  const turns = input.messages.map((text, i) => planTurn(input, i + 1, text, rateMs, resizes[i] ?? false));
  const requests = Array.from({ length: input.messages.length * 2 }, (_, i) => requestPace(input.seed, i + 1));
  return { seed: input.seed, tuiDelayMs, turns, requests };
}
