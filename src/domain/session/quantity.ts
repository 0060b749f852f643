/** Item quantities are decimals with 4 places (as stored); round after every arithmetic step. */
export function q4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
