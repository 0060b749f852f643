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
