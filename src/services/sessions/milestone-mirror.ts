import type { ContractClient } from '../../clients/contract-client.js';
import { ClientError } from '../../clients/errors.js';
import type { SessionRepository } from './session-repository.js';

/** What the mirror reads of a `craft.session.step-completed` event. */
export interface StepCompleted {
  sessionId?: unknown;
  stepCode?: unknown;
}

/**
 * Mirrors a completed step of a step-model session on its contract, after the advance has
 * answered: the consumer of the service's own `session.step-completed` events calls this, so an
 * advance commits one transaction and nothing else. Keyed as every milestone call
 * (`craft:<session>:milestone:<code>`), so redelivery, and the completion that records any
 * milestone still missing (SessionEffects.fulfilContract), apply it once. The last step is the
 * completing advance's own call; ruleset sessions have one milestone, completed at completion. A
 * contract that ended meanwhile is left alone; the contract service being unavailable throws
 * (the event comes again).
 */
export async function mirrorStep(d: { repo: SessionRepository; contract: ContractClient }, event: StepCompleted): Promise<void> {
  if (typeof event.sessionId !== 'string' || typeof event.stepCode !== 'string') return;
  const s = await d.repo.find(event.sessionId);
  if (!s || s.rules || !s.contractId) return;
  const index = s.recipe.steps.findIndex((st) => st.code === event.stepCode);
  if (index < 0 || index === s.recipe.steps.length - 1) return;
  try {
    await d.contract.completeMilestone(
      { contractId: s.contractId, gameServiceId: s.gameServiceId, milestoneCode: event.stepCode },
      `craft:${s.id}:milestone:${event.stepCode}`,
    );
  } catch (err) {
    if (err instanceof ClientError && err.kind !== 'unavailable') return;
    throw err;
  }
}
