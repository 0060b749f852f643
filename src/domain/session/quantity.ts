/** Item quantities are decimals with 4 places (as stored); round after every arithmetic step. */
export function q4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}

/** Output quantity times an outcome's multiplier: whole quantities stay whole (rounded down), others to 4 decimals. */
export function scaledQuantity(base: number, multiplier: number): number {
  const exact = base * multiplier;
  return Number.isInteger(base) ? Math.floor(exact + 1e-9) : q4(exact);
}
