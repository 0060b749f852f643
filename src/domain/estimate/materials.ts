import { q4 } from '../session/quantity.js';
import { allocateMaterials, type MaterialCandidate, type MaterialNeed, type MaterialPick, type NamedBySlot } from '../session/allocate-materials.js';

/**
 * The picks a session start would make from `candidates` (allocateMaterials: inputs in
 * order, highest quality first, stacks split), except that an input the candidates do not
 * fully cover takes what there is instead of failing. With enough candidates the picks are
 * exactly a start's. Estimates use it so that naming only some of the materials still
 * gives their quality.
 */
export function allocateAvailable(needs: readonly MaterialNeed[], candidates: readonly MaterialCandidate[], named: NamedBySlot = new Map()): MaterialPick[] {
  const full = allocateMaterials([...needs], [...candidates], named);
  if (full.ok) return full.picks;
  // One input at a time, with what the earlier inputs left: the same greedy order as a start.
  const left = new Map(candidates.map((c) => [c.instanceId, c.quantity]));
  const picks: MaterialPick[] = [];
  needs.forEach((need, inputIndex) => {
    const pool = candidates.map((c) => ({ ...c, quantity: left.get(c.instanceId) ?? 0 })).filter((c) => c.quantity > 0);
    const names: NamedBySlot = named.has(inputIndex) ? new Map([[0, named.get(inputIndex)!]]) : new Map();
    let result = allocateMaterials([need], pool, names);
    if (!result.ok) {
      const available = result.shortfalls[0]?.available ?? 0;
      if (!(available > 0)) return;
      result = allocateMaterials([{ ...need, quantity: available }], pool, names);
      if (!result.ok) return;
    }
    for (const pick of result.picks) {
      picks.push({ ...pick, inputIndex });
      left.set(pick.instanceId, q4((left.get(pick.instanceId) ?? 0) - pick.quantity));
    }
  });
  return picks;
}
