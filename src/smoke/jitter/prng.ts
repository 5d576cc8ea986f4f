// One small seeded generator for the jitter schedule: sfc32 (Chris Doty-Humphrey's Small Fast
// Counting generator, 128 bits of state, passes PractRand), fed from a 32-bit seed and a label.
// A label gives every part of the schedule its own stream, so adding a draw to one part (the
// typing) never shifts another (the endpoint's pace): the same seed keeps its schedule.

/** A seeded source of numbers in [0, 1). */
export type Random = () => number;

/** FNV-1a of a label, mixed into the seed: one independent stream per label. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** sfc32 seeded from `seed` (a whole number) and `label`; the first draws are dropped as the algorithm's authors advise. */
export function seededRandom(seed: number, label = ''): Random {
  let a = seed >>> 0;
  let b = hashLabel(label);
  let c = Math.floor(seed / 2 ** 32) >>> 0;
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 2 ** 32;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** A whole number in [min, max]. */
export const between = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

/** True with probability p. */
export const chance = (random: Random, p: number): boolean => random() < p;
