import { execa } from 'execa';
import { recogniseGeneration } from './generations/index.js';
import type { GenerationName } from './types.js';

// What a wg build can do, read from its own --help texts: never from a version string or a date,
// so any commit of wg's history can be driven (and bisected).

/** The build's chat era (a name in the table of src/wg/generations/), or `unknown`. */
export type ChatGeneration = GenerationName;

export interface WgCapabilities {
  subcommands: string[];
  init: {
    model: boolean;
    endpoint: boolean;
    executor: boolean;
    route: boolean;
    /** The named setup routes `--route` offers (`local`, `nex-custom`, `claude-cli`, … in June; `pi` today), when listed. */
    routes: string[];
    /** `-x` values named in the help, when listed. */
    executors: string[];
  };
  tuiDump: boolean;
  tuiRecordingFlag: boolean;
  /** `wg tui --trace FILE` is listed: wg writes its own JSONL trace of every input event (every build since March 2026). */
  tuiTrace: boolean;
  nexSubcommand: boolean;
  chatCreate: boolean;
  serviceStopKillAgents: boolean;
  /**
   * The build integrates Pi (a `pi-handler` or `pi-plugin` command, or `pi:` routes on init): a
   * Pi chat may be offered (today's only chat; June/July's launcher row beside nex). Without it,
   * no chat of this build can be Pi.
   */
  pi: boolean;
  generation: ChatGeneration;
  /** Why this generation was chosen, in words, for the probe report. */
  reasons: string[];
  /** The raw help texts, saved into the artifacts. */
  helpTexts: Record<string, string>;
}

async function help(wg: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const result = await execa(wg, [...args, '--help'], { reject: false, timeout: 15_000, env, extendEnv: false, stdin: 'ignore' });
  return `${result.stdout}\n${result.stderr}`;
}

// clap lists subcommands as two-space-indented names followed by their description, under one
// "Commands:" header or several ("Core commands:", "Other commands:" in wg's own layout).
export function parseSubcommands(text: string): string[] {
  const names = [...text.matchAll(/^ {2}([a-z][a-z0-9-]*)(?: {2,}\S|$)/gm)].map((m) => m[1] as string);
  return [...new Set(names)];
}

// True when the help lists the long flag (hidden flags are not listed, which is the point).
export function hasFlag(text: string, long: string): boolean {
  return new RegExp(`(^|\\s|,)--${long}(\\s|=|<|\\[|$)`, 'm').test(text);
}

export function parseExecutorValues(initHelp: string): string[] {
  const line = initHelp.split('\n').find((l) => /--executor/.test(l)) ?? '';
  const block = initHelp.slice(initHelp.indexOf(line), initHelp.indexOf(line) + 600);
  const values = block.match(/\[possible values: ([^\]]+)\]/)?.[1] ?? block.match(/<([a-z|]+)>/)?.[1];
  return values
    ? values
        .split(/[,|]\s*/)
        .map((v) => v.trim())
        .filter(Boolean)
    : [];
}

// wg lists its named routes in the flag's description: `(openrouter, claude-cli, codex-cli, local,
// nex-custom)` in June and July, `(\`pi\`)` today.
export function parseRouteNames(initHelp: string): string[] {
  const line = initHelp.split('\n').find((l) => /--route\b/.test(l));
  const list = line && /\(([^)]*)\)/.exec(line)?.[1];
  return list
    ? list
        .split(',')
        .map((v) => v.replace(/`/g, '').trim())
        .filter((v) => /^[a-z][a-z0-9-]*$/.test(v))
    : [];
}

// `wg config --coordinator-executor` sets the chat handler's executor; builds recorded before the
// probe read `wg config --help` count as having it when `wg endpoints` exists.
function coordinatorExecutor(texts: Record<string, string>): boolean {
  const configHelp = texts['wg config'];
  return configHelp === undefined ? true : hasFlag(configHelp, 'coordinator-executor');
}

// Reads the facts off the parsed help texts and looks the generation up in the table. Pure, so it is
// tested on recorded help.
export function classify(texts: Record<string, string>): Omit<WgCapabilities, 'helpTexts'> {
  const top = `${texts['wg'] ?? ''}\n${texts['wg --help-all'] ?? ''}`;
  const initHelp = texts['wg init'] ?? '';
  const subcommands = parseSubcommands(top);
  const init = {
    model: hasFlag(initHelp, 'model'),
    endpoint: hasFlag(initHelp, 'endpoint'),
    executor: hasFlag(initHelp, 'executor'),
    route: hasFlag(initHelp, 'route'),
    routes: parseRouteNames(initHelp),
    executors: parseExecutorValues(initHelp),
  };
  const nexSubcommand = subcommands.includes('nex');
  const chatHelp = texts['wg chat'] ?? '';
  const chatCreate = /^\s{2}(create|new)\b/m.test(chatHelp);
  const piRoute = /pi:<provider>:<model>|pi:<?provider/i.test(initHelp);
  const piRoutes = piRoute || init.route;
  // The generation is the table's to recognise (src/wg/generations/), from these facts alone.
  const { generation, reasons } = recogniseGeneration({
    subcommands,
    init,
    nexSubcommand,
    chatCreate,
    piRoutes,
    chatCoordinator: hasFlag(chatHelp, 'coordinator'),
    coordinatorExecutor: coordinatorExecutor(texts),
  });
  const pi = piRoute || subcommands.includes('pi-handler') || subcommands.includes('pi-plugin');
  reasons.push(
    pi
      ? `Pi: ${[piRoute ? '`wg init` takes `pi:` routes' : '', ...['pi-handler', 'pi-plugin'].filter((c) => subcommands.includes(c)).map((c) => `\`wg ${c}\``)].filter(Boolean).join(', ')}`
      : 'no Pi in this build (no `pi-handler`/`pi-plugin` command, no `pi:` route on init)',
  );
  return {
    subcommands,
    init,
    pi,
    tuiDump: subcommands.includes('tui-dump'),
    tuiRecordingFlag: hasFlag(texts['wg tui'] ?? '', 'recording'),
    tuiTrace: hasFlag(texts['wg tui'] ?? '', 'trace'),
    nexSubcommand,
    chatCreate,
    serviceStopKillAgents: hasFlag(texts['wg service stop'] ?? '', 'kill-agents'),
    generation,
    reasons,
  };
}

// Runs the help commands of the build under test and classifies them.
export async function probeWg(wg: string, env: NodeJS.ProcessEnv): Promise<WgCapabilities> {
  const commands: Array<[string, string[]]> = [
    ['wg', []],
    ['wg init', ['init']],
    ['wg tui', ['tui']],
    ['wg chat', ['chat']],
    ['wg service stop', ['service', 'stop']],
    ['wg config', ['config']],
  ];
  const helpTexts: Record<string, string> = {};
  // wg's top-level --help lists a few commands and points at --help-all for the rest.
  const all = await execa(wg, ['--help-all'], { reject: false, timeout: 15_000, env, extendEnv: false, stdin: 'ignore' });
  helpTexts['wg --help-all'] = all.exitCode === 0 ? all.stdout : '';
  await Promise.all(commands.map(async ([name, args]) => void (helpTexts[name] = await help(wg, args, env))));
  return { ...classify(helpTexts), helpTexts };
}
