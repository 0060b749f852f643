import type { AttemptOutcome, RulesRecord } from '../../domain/rules/play.js';
import { distributeLoss } from '../../domain/rules/play.js';
import { q4 } from '../../domain/session/quantity.js';
import type { ReservedMaterial, SessionRecord } from './session-model.js';

/**
 * What a ruleset session becomes when an attempt ends (by an action, or by its time running out):
 * - a success (or any trial) completes: outputs are created by the driver from the outcome;
 * - a failure with attempts left stays active, waiting for session/retry; its rolled loss is
 *   destroyed first (pendingLoss, applied by the driver);
 * - the last failure ends the session: the loss is destroyed and the rest goes back.
 */
export function attemptEndChange(s: SessionRecord, rules: RulesRecord, ended: AttemptOutcome): Partial<SessionRecord> {
  const base = { rules, expiresAt: new Date(rules.sessionExpiresAt) };
  if (ended.success || rules.trial) {
    return { ...base, status: 'completing', currentStepIndex: s.recipe.steps.length };
  }
  if (rules.awaitingRetry) return { ...base, pendingEffects: rules.pendingLoss !== null || s.pendingEffects };
  const reason = rules.state.ended?.reason;
  const how =
    ended.ended === 'fail'
      ? `the attempt failed outright (${reason ?? 'failed'})`
      : ended.ended === 'timeout'
        ? `the time ran out${ended.band ? ` at ${ended.band}` : ''}`
        : ended.band
          ? `the outcome was ${ended.band}`
          : `the attempt ended (${ended.ended})`;
  const attempts = rules.maxAttempts > 1 ? ` on the last of ${rules.maxAttempts} attempts` : '';
  const broke = ended.breaksTarget && s.targetItemId ? '; the target item broke' : '';
  return { ...base, status: 'cancelling', failureReason: `the craft failed${attempts}: ${how}; ${Math.round(ended.loss * 100)}% of the materials were lost${broke}` };
}

/** One material's part of a failed attempt's loss: how much of it, and what stays. */
export interface LossPlan {
  material: ReservedMaterial;
  index: number;
  lost: number;
}

/**
 * The loss of the pending attempt over the session's unconsumed inputs (consumables already
 * used are not inputs). Deterministic in the stored session, so a crashed driver recomputes
 * exactly the same plan and its keyed effects replay.
 */
export function lossPlan(s: SessionRecord): LossPlan[] {
  const rules = s.rules;
  if (!rules || rules.pendingLoss === null) return [];
  const loss = rules.outcomes.find((o) => o.attempt === rules.pendingLoss)?.loss ?? 0;
  const pool = s.reservedMaterials.map((material, index) => ({ material, index })).filter(({ material: m }) => !m.consumed && m.instanceId && !m.use);
  const lost = distributeLoss(pool.map((p) => p.material.quantity), loss);
  return pool.map((p, i) => ({ ...p, lost: lost[i]! })).filter((p) => p.lost > 0);
}

/**
 * The materials after a loss was applied: a whole instance lost is marked consumed; a split
 * keeps the rest on the escrow instance and adds the destroyed part (its own instance).
 */
export function materialsAfterLoss(s: SessionRecord, applied: { index: number; lost: number; lostInstanceId: string }[]): ReservedMaterial[] {
  const attempt = s.rules!.pendingLoss!;
  const out: ReservedMaterial[] = [];
  s.reservedMaterials.forEach((m, index) => {
    const a = applied.find((x) => x.index === index);
    if (!a) return out.push(m);
    if (a.lostInstanceId === m.instanceId) return out.push({ ...m, consumed: true, use: { kind: 'loss', attempt } });
    out.push({ ...m, quantity: q4(m.quantity - a.lost) });
    out.push({ ...m, instanceId: a.lostInstanceId, quantity: a.lost, consumed: true, use: { kind: 'loss', attempt } });
  });
  return out;
}
