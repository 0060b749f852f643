import type { Played } from '../../domain/rules/play.js';
import type { OutboxEventInput } from '../ports.js';
import type { SessionRecord, StepResult } from './session-model.js';

/** Session lifecycle events for the outbox; payloads follow schemas/craft-events.yaml. */
function event(topic: string, eventId: string, at: Date, payload: Record<string, unknown>): OutboxEventInput {
  return {
    eventId,
    topic,
    payload: { eventName: `craft.${topic}`, eventId, timestamp: at.toISOString(), ...payload },
  };
}

const who = (s: SessionRecord) => ({ sessionId: s.id, gameServiceId: s.gameServiceId, recipeId: s.recipeId, entityId: s.entityId, entityType: s.entityType });

export const sessionEvents = {
  started: (s: SessionRecord, id: string, at: Date) =>
    event('session.started', id, at, { ...who(s), recipeCode: s.recipeCode, participants: s.participants }),
  stepCompleted: (s: SessionRecord, r: StepResult, id: string, at: Date) =>
    event('session.step-completed', id, at, {
      sessionId: s.id,
      gameServiceId: s.gameServiceId,
      stepCode: r.code,
      qualityContribution: r.qualityContribution,
      advancedByEntityId: r.completedByEntityId,
    }),
  /** A ruleset session's action: a step-completed event whose step is the action, with what it did. */
  ruleTurn: (s: SessionRecord, p: Played, by: string, id: string, at: Date) =>
    event('session.step-completed', id, at, {
      sessionId: s.id,
      gameServiceId: s.gameServiceId,
      stepCode: p.turn.action,
      qualityContribution: 0,
      advancedByEntityId: by,
      action: p.turn.action,
      attempt: p.turn.attempt,
      turn: p.turn.turn,
      success: p.turn.result.success,
      deltas: p.turn.result.deltas,
      pools: p.rules.state.pools,
      ended: p.turn.result.ended?.how ?? null,
      outcome: p.ended ? { success: p.ended.success, score: p.ended.score, band: p.ended.band, grade: p.ended.grade, loss: Math.round(p.ended.loss * 1e6) / 1e6 } : null,
    }),
  completed: (s: SessionRecord, id: string, at: Date) =>
    event('session.completed', id, at, {
      ...who(s),
      recipeCode: s.recipeCode,
      finalQuality: s.finalQuality,
      outputItemIds: s.outputItemIds ?? [],
    }),
  failed: (s: SessionRecord, id: string, at: Date) =>
    event('session.failed', id, at, { ...who(s), reason: s.failureReason ?? 'failed' }),
  cancelled: (s: SessionRecord, returned: { instanceId: string; itemTemplateCode: string; quantity: number }[], id: string, at: Date) =>
    event('session.cancelled', id, at, { ...who(s), materialsReturned: returned, reason: 'cancelled by request' }),
};
