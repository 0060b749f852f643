import type { Rng } from '../rng.js';

/** An offered material instance. */
export interface OfferedMaterial {
  instanceId: string;
  itemTemplateCode: string;
  quantity: number;
}

/** What an attempt takes from one offered instance. */
export interface PlannedConsumption {
  instanceId: string;
  itemTemplateCode: string;
  quantity: number;
}

const SCALE = 10_000;

/**
 * How many units an attempt consumes: round-half-up(total offered units x rate), never
 * more than what was offered. Quantities are 4-decimal numbers, so the product is taken
 * on scaled integers (3 x 0.5 = 1.5 rounds to 2, exactly).
 */
export function unitsToConsume(totalUnits: number, rate: number): number {
  if (!(rate > 0) || !(totalUnits > 0)) return 0;
  const scaledTotal = Math.round(totalUnits * SCALE);
  const product = (scaledTotal * Math.round(rate * SCALE)) / SCALE; // in 1/10000 units
  const whole = Math.floor(product / SCALE + 0.5 + 1e-9);
  return Math.min(whole, totalUnits);
}

/**
 * The consumption plan of an attempt: `unitsToConsume` units taken from the offered
 * instances in a seeded order (instances sorted by id, then shuffled with `rng`, the
 * attempt's stream), each instance giving min(its quantity, what is still to take).
 * Deterministic for a given rng: the same attempt always plans the same consumption.
 */
export function planConsumption(offered: readonly OfferedMaterial[], rate: number, rng: Rng): PlannedConsumption[] {
  const total = offered.reduce((sum, m) => sum + Math.round(m.quantity * SCALE), 0) / SCALE;
  let remaining = Math.round(unitsToConsume(total, rate) * SCALE);
  if (remaining <= 0) return [];
  const order = [...offered].sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0));
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const plan: PlannedConsumption[] = [];
  for (const m of order) {
    if (remaining <= 0) break;
    const take = Math.min(Math.round(m.quantity * SCALE), remaining);
    if (take <= 0) continue;
    plan.push({ instanceId: m.instanceId, itemTemplateCode: m.itemTemplateCode, quantity: take / SCALE });
    remaining -= take;
  }
  return plan;
}
