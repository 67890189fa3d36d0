/** The alert levels of destination health: percentages of the consecutive-failure maximum. Pure. */

export const ALERT_LEVELS = [50, 70, 90, 100] as const;

/** The failure count at which a level fires: ceil(max × level / 100), rounded up as Outpost does. */
export function levelCount(max: number, level: number): number {
  return Math.ceil((max * level) / 100);
}

/** The highest level that fires at exactly `count` failures (≥ 100 % fires at every count past it). */
export function levelAt(max: number, count: number): number | undefined {
  if (count >= max) return 100;
  return [...ALERT_LEVELS].reverse().find((level) => level < 100 && levelCount(max, level) === count);
}

/** The levels a run of `count` consecutive failures has reached. */
export function levelsReached(max: number, count: number): number[] {
  return ALERT_LEVELS.filter((level) => count >= levelCount(max, level));
}
