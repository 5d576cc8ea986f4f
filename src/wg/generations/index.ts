import { SKIP_LABEL, setupSkipped } from '../../errors.js';
import { setupRoute } from '../flows/setup-route.js';
import type { WgCapabilities } from '../probe.js';
import {
  SETUP_VARIANTS,
  TARGET_KINDS,
  type BuildFacts,
  type Generation,
  type SetupEntry,
  type SetupTable,
  type SetupVariant,
  type TargetKind,
} from '../types.js';
import { composer } from './composer.js';
import { nexPane } from './nex-pane.js';
import { nexTmux } from './nex-tmux.js';
import { piTmux } from './pi-tmux.js';

// The table of wg's chat generations, newest first. The probe recognises a build by asking each in
// turn; the smoke, doctor, the replay and the `setup offered` report read the rest from here. A new
// generation is one module and one line below.
export const GENERATIONS: readonly Generation[] = [piTmux, nexTmux, nexPane, composer];

/** The generation whose recognise() takes these facts first, and why; `unknown` with the facts when none does. */
export function recogniseGeneration(facts: BuildFacts): { generation: Generation['name']; reasons: string[] } {
  for (const generation of GENERATIONS) {
    const reasons = generation.recognise(facts);
    if (reasons) return { generation: generation.name, reasons };
  }
  return {
    generation: 'unknown',
    reasons: [
      `no known generation: nex subcommand=${facts.nexSubcommand}, init --endpoint=${facts.init.endpoint}, pi routes=${facts.piRoutes}, chat create=${facts.chatCreate}`,
    ],
  };
}

/** The probed build's generation; undefined when the probe knew none. */
export const generationFor = (caps: Pick<WgCapabilities, 'generation'>): Generation | undefined => GENERATIONS.find((g) => g.name === caps.generation);

/** A generation by name (`--surface`'s defaults for recordings that named only their generation). */
export const generationNamed = (name: string): Generation | undefined => GENERATIONS.find((g) => g.name === name);

/** How a scenario is set up on this build, or the counted skip it is instead (its label and why). */
export type SetupPlan = { entry: SetupEntry } | { skip: { label: string; reason: string } };

const offersKind = (table: SetupTable, kind: TargetKind): boolean => SETUP_VARIANTS.some((v) => table[v]?.[kind] !== undefined);

/**
 * The one rule for what a build offers a scenario, in this order: no claude path at all (CLAUDE
 * SMOKE SKIPPED); the variant absent from the generation, or the build's routes lacking one for
 * this chat (PLAIN/ROUTE SETUP SKIPPED); no Pi in the build or none in its generation (PI SMOKE
 * SKIPPED). Each skip is loud and counted, never a setup failure and never another setup under
 * the asked one's name.
 */
export function planSetup(generation: Generation, caps: WgCapabilities, variant: SetupVariant, kind: TargetKind): SetupPlan {
  const here = `this wg (generation ${generation.name})`;
  const table = generation.setups(caps);
  if (kind === 'claude' && !offersKind(table, 'claude'))
    return { skip: { label: SKIP_LABEL.claude, reason: `claude-local is driven on every generation with a known claude path; ${here} has none` } };
  const variantOffered = TARGET_KINDS.some((k) => table[variant]?.[k] !== undefined);
  if (!variantOffered) return { skip: { label: setupSkipped(variant), reason: `${here} ${generation.notOffered?.[variant] ?? `offers no ${variant} setup`}` } };
  if (variant === 'route') {
    const route = setupRoute(caps, kind);
    if ('missing' in route) return { skip: { label: setupSkipped(variant), reason: `${here}: ${route.missing}` } };
  }
  const entry = table[variant]?.[kind];
  if (kind === 'pi' && (!caps.pi || !entry)) {
    const why = caps.pi ? `its generation (${generation.name}) has no Pi chat` : (caps.reasons.find((r) => /^no Pi/.test(r)) ?? 'no Pi in this build');
    return { skip: { label: SKIP_LABEL.pi, reason: `this wg offers no Pi chat: ${why}` } };
  }
  if (!entry) return { skip: { label: setupSkipped(variant), reason: `${here}: offers no ${variant} setup for a ${kind === 'endpoint' ? 'nex' : kind} chat` } };
  return { entry };
}

/** Each `--setup` variant for each kind of chat on this build: how it is set up, or why it is not offered (probe.json). */
export function offeredSetups(caps: WgCapabilities): Record<string, Record<string, string>> {
  const generation = generationFor(caps);
  const chats: Record<TargetKind, string> = { endpoint: 'nex', pi: 'pi', claude: 'claude' };
  return Object.fromEntries(
    SETUP_VARIANTS.map((variant) => [
      variant,
      Object.fromEntries(
        TARGET_KINDS.map((kind) => {
          if (!generation) return [chats[kind], 'not offered: no known generation for this build'];
          const plan = planSetup(generation, caps, variant, kind);
          if ('skip' in plan) return [chats[kind], `not offered: ${plan.skip.reason}`];
          const route = variant === 'route' ? setupRoute(caps, kind) : undefined;
          return [chats[kind], route && 'route' in route ? `\`wg init --route ${route.route}\`: ${plan.entry.path}` : plan.entry.path];
        }),
      ),
    ]),
  );
}
