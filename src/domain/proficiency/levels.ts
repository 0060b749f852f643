/**
 * Levelling (ARCHITECTURE.md, "Our answers"): reaching level L takes base * L^2 total
 * experience (base defaults to 10, CRAFT_LEVEL_EXPERIENCE_BASE), the level is capped
 * at CRAFT_MAX_PROFICIENCY_LEVEL, and the mastery phase follows total experience
 * through configured thresholds (CRAFT_PHASE_THRESHOLDS).
 */

export interface PhaseThreshold {
  name: string;
  /** Total experience from which the phase applies. */
  threshold: number;
}

export const DEFAULT_LEVEL_EXPERIENCE_BASE = 10;

/** The seed's phases: novice 0, apprentice 100, journeyman 500, expert 1500, master 4000. */
export const DEFAULT_PHASE_THRESHOLDS: readonly PhaseThreshold[] = [
  { name: 'novice', threshold: 0 },
  { name: 'apprentice', threshold: 100 },
  { name: 'journeyman', threshold: 500 },
  { name: 'expert', threshold: 1500 },
  { name: 'master', threshold: 4000 },
];

/** Tolerance for float experience sitting a hair below an exact threshold (e.g. 0.1 x 900). */
const EPSILON = 1e-9;

/** Total experience needed to reach `level`: base * level^2. */
export function experienceForLevel(level: number, base = DEFAULT_LEVEL_EXPERIENCE_BASE): number {
  return base * level * level;
}

/** min(maxLevel, floor(sqrt(experience / base))); 0 for no (or negative) experience. */
export function levelFor(experience: number, base = DEFAULT_LEVEL_EXPERIENCE_BASE, maxLevel = Infinity): number {
  if (!(experience > 0)) return 0;
  let level = Math.floor(Math.sqrt(experience / base));
  // sqrt rounding: make sure base*L^2 <= experience < base*(L+1)^2 holds exactly.
  while (level > 0 && experienceForLevel(level, base) > experience + EPSILON) level--;
  while (experienceForLevel(level + 1, base) <= experience + EPSILON) level++;
  return Math.min(maxLevel, level);
}

/** Total experience at which the next level is reached; null at the maximum level. */
export function experienceForNextLevel(
  experience: number,
  base = DEFAULT_LEVEL_EXPERIENCE_BASE,
  maxLevel = Infinity,
): number | null {
  const level = levelFor(experience, base, maxLevel);
  if (level >= maxLevel) return null;
  return experienceForLevel(level + 1, base);
}

/**
 * The phase of the highest threshold at or below `experience`. Thresholds are
 * expected in increasing order starting at 0 (the config parser guarantees it);
 * below the first one the first phase applies.
 */
export function phaseFor(experience: number, thresholds: readonly PhaseThreshold[] = DEFAULT_PHASE_THRESHOLDS): string {
  if (thresholds.length === 0) throw new Error('phaseFor needs at least one phase');
  let phase = thresholds[0]!.name;
  for (const t of thresholds) {
    if (experience + EPSILON >= t.threshold) phase = t.name;
    else break;
  }
  return phase;
}
