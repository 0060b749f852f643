import { expect } from 'vitest';
import type { Harness } from './harness.js';
import { round4 } from './world.js';

export interface TemplateAudit {
  /** Quantity in containers (inventories and session escrows). */
  live: number;
  /** Quantity destroyed as Consumed. */
  consumed: number;
  /** Quantity destroyed as Destroyed (a target a failed enchantment broke). */
  destroyed: number;
  /** Quantity created by crafting. */
  crafted: number;
}

/** Every item of a game service, per template: where it is and how it came or went. */
export async function auditItems(h: Harness, gameServiceId: string): Promise<Record<string, TemplateAudit>> {
  const rows = await h.runtime.internals.prisma.$queryRaw<
    { code: string; live: number | null; consumed: number | null; destroyed: number | null; crafted: number | null }[]
  >`
    SELECT t.code AS code,
      SUM(CASE WHEN i.destroyedAt IS NULL THEN i.quantity ELSE 0 END) AS live,
      SUM(CASE WHEN i.destroyReason = 'Consumed' THEN i.quantity ELSE 0 END) AS consumed,
      SUM(CASE WHEN i.destroyReason = 'Destroyed' THEN i.quantity ELSE 0 END) AS destroyed,
      SUM(CASE WHEN i.originType = 'Craft' THEN i.quantity ELSE 0 END) AS crafted
    FROM stub_item_instance i JOIN stub_item_template t ON t.id = i.templateId
    WHERE t.gameServiceId = ${gameServiceId}
    GROUP BY t.code`;
  return Object.fromEntries(
    rows.map((r) => [
      r.code,
      { live: round4(Number(r.live ?? 0)), consumed: round4(Number(r.consumed ?? 0)), destroyed: round4(Number(r.destroyed ?? 0)), crafted: round4(Number(r.crafted ?? 0)) },
    ]),
  );
}

/**
 * The conservation law: for each template, granted + crafted = live + consumed + destroyed.
 * (Split stacks keep the sum; a returned item is live again.)
 */
export function expectConserved(audit: Record<string, TemplateAudit>, granted: Record<string, number>) {
  for (const [code, a] of Object.entries(audit)) {
    expect({ code, total: round4(a.live + a.consumed + a.destroyed) }).toEqual({ code, total: round4((granted[code] ?? 0) + a.crafted) });
  }
}
