import { setTimeout as sleep } from 'node:timers/promises';
import type { PaceVariation } from '../../endpoint/index.js';
import type { TerminalSession } from '../../terminal/index.js';
import type { ReplyOracle } from '../reply-oracle.js';
import type { PersonTyping } from '../turn-typing.js';
import { busyLoop, type BusyLoop } from './cpu-pressure.js';
import { requestPace, type JitterSchedule, type TurnPlan } from './schedule.js';

// A jitter schedule carried out on one scenario run: it hands each part its plan (the TUI's start,
// each message's typing, each request's pace, a resize in a streamed reply, a busy CPU) and writes
// down when each thing really happened, so jitter.json shows the plan and the run side by side.

/** One thing the schedule did (or could not do), its planned time where it has one, and when it happened (ms since the scenario started). */
export interface JitterEvent {
  what: string;
  /** The message it belongs to (1-based). */
  turn?: number;
  /** The planned delay from its anchor (the service start, the turn's start, the key before, Enter), ms. */
  plannedMs?: number;
  /** The same delay as it happened, ms. */
  actualMs?: number;
  /** Since the scenario started, ms. */
  atMs: number;
  detail?: string;
}

/** How often a planned resize checks how much of the reply was streamed. */
const RESIZE_POLL_MS = 25;

const round = (ms: number) => Math.round(ms * 10) / 10;

export class LiveJitter {
  readonly events: JitterEvent[] = [];
  private readonly started = performance.now();

  constructor(
    readonly schedule: JitterSchedule,
    private readonly size: { cols: number; rows: number },
  ) {}

  private at(): number {
    return round(performance.now() - this.started);
  }

  private record(event: Omit<JitterEvent, 'atMs'>): void {
    this.events.push({ ...event, atMs: this.at() });
  }

  /** Between `wg service start` returning and `wg tui` starting: the person's planned gap. */
  async beforeTui(stop: AbortSignal): Promise<void> {
    const from = performance.now();
    await sleep(this.schedule.tuiDelayMs, undefined, { signal: stop }).catch(() => undefined);
    this.record({
      what: 'tui-start',
      plannedMs: this.schedule.tuiDelayMs,
      actualMs: round(performance.now() - from),
      detail: 'after `wg service start` returned',
    });
  }

  /** The embedded endpoint's pace for chat request n, recorded as it is asked for. */
  readonly paceOf = (n: number): PaceVariation => {
    const pace = this.schedule.requests[n - 1] ?? requestPace(this.schedule.seed, n);
    const pauses = pace.pauses.map((p) => `${p.ms}ms after chunk ${p.afterChunk}`).join(', ');
    this.record({
      what: 'request',
      plannedMs: pace.ttftMs,
      detail: `chat request ${n}: first token after ${pace.ttftMs}ms, gaps ×${pace.gapScale}${pauses ? `, pauses ${pauses}` : ''}`,
    });
    return pace;
  };

  /** Message `index`'s typing, recording each key and Enter as they go out. */
  typing(index: number): PersonTyping | undefined {
    const plan = this.turnPlan(index);
    if (!plan) return undefined;
    const turnStart = performance.now();
    let last = turnStart;
    let enterFrom = turnStart;
    return {
      thinkMs: plan.thinkMs,
      keyDelaysMs: plan.keyDelaysMs,
      enterGapMs: plan.enterGapMs,
      onKey: (i) => {
        const now = performance.now();
        const planned = i === 0 ? plan.thinkMs : plan.keyDelaysMs[i - 1];
        this.record({ what: i === 0 ? 'first-key' : 'key', turn: index, plannedMs: planned, actualMs: round(now - last), detail: `character ${i + 1}` });
        last = enterFrom = now;
      },
      onEnter: () => {
        this.record({ what: 'enter', turn: index, plannedMs: plan.enterGapMs, actualMs: round(performance.now() - enterFrom) });
        this.armCpu(plan);
      },
    };
  }

  private turnPlan(index: number): TurnPlan | undefined {
    return this.schedule.turns.find((t) => t.index === index);
  }

  private cpu: BusyLoop | undefined;
  private cpuTimer: NodeJS.Timeout | undefined;

  // A bounded busy loop on one CPU, from the planned time after Enter; ended with the turn at the latest.
  private armCpu(plan: TurnPlan): void {
    const { cpu } = plan;
    if (!cpu) return;
    const enter = performance.now();
    this.cpuTimer = setTimeout(() => {
      this.cpu = busyLoop(cpu.durationMs);
      this.record({
        what: 'cpu-busy',
        turn: plan.index,
        plannedMs: cpu.startMs,
        actualMs: round(performance.now() - enter),
        detail: `one CPU busy for ${cpu.durationMs}ms`,
      });
    }, cpu.startMs);
  }

  /**
   * Arms message `index`'s resize: once the endpoint has streamed the planned share of its reply, the
   * terminal shrinks, and after the hold it is put back. `end()` when the turn is decided: a resize
   * still held is undone then, and one never reached is said.
   */
  duringTurn(index: number, text: string, session: TerminalSession, oracle: ReplyOracle | undefined): { end: () => Promise<void> } {
    const resize = this.turnPlan(index)?.resize;
    let poll: NodeJS.Timeout | undefined;
    let back: NodeJS.Timeout | undefined;
    let state: 'waiting' | 'held' | 'done' = 'waiting';
    let heldFrom = 0;
    const restore = (why: string) => {
      if (state !== 'held' || !resize) return;
      state = 'done';
      session.resize(this.size.cols, this.size.rows);
      this.record({
        what: 'resize-back',
        turn: index,
        plannedMs: resize.holdMs,
        actualMs: round(performance.now() - heldFrom),
        detail: `${this.size.cols}x${this.size.rows} ${why}`,
      });
    };
    if (resize && oracle) {
      poll = setInterval(() => {
        const stream = oracle.streaming(text);
        if (!stream?.total || stream.sent / stream.total < resize.afterShare) return;
        clearInterval(poll);
        state = 'held';
        heldFrom = performance.now();
        session.resize(resize.cols, resize.rows);
        this.record({
          what: 'resize',
          turn: index,
          detail: `${resize.cols}x${resize.rows} with ${stream.sent} of ${stream.total} chars streamed (planned at ${Math.round(resize.afterShare * 100)}%)`,
        });
        back = setTimeout(() => restore('after the hold'), resize.holdMs);
      }, RESIZE_POLL_MS);
    }
    return {
      end: async () => {
        clearInterval(poll);
        clearTimeout(back);
        clearTimeout(this.cpuTimer);
        restore('when the turn was decided (before the hold ended)');
        if (resize && state === 'waiting')
          this.record({
            what: 'resize-skipped',
            turn: index,
            detail: oracle ? `the reply never streamed ${Math.round(resize.afterShare * 100)}% before the verdict` : 'no endpoint of ours to follow the reply',
          });
        await this.cpu?.stop();
        this.cpu = undefined;
      },
    };
  }

  /** jitter.json: the seed, the whole plan, and what happened. */
  toJson(): string {
    return `${JSON.stringify({ seed: this.schedule.seed, schedule: this.schedule, events: this.events }, null, 2)}\n`;
  }
}
