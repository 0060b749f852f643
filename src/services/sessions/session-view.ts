import type { components } from '../../generated/craft-api.js';
import type { ReservedMaterial, SessionRecord } from './session-model.js';

type Schemas = components['schemas'];

/** A session's steps as callers see them: done ones with their result, the current one with readyAt. */
export function stepInfos(s: SessionRecord): Schemas['SessionStepInfo'][] {
  return s.recipe.steps.map((step, index) => {
    const result = s.stepResults.find((r) => r.index === index);
    return {
      code: step.code,
      name: step.name,
      index,
      durationSeconds: step.durationSeconds ?? null,
      stationType: step.stationType ?? null,
      toolCategory: step.toolCategory ?? null,
      skillCheck: step.skillCheck ?? false,
      eligibleRoles: step.eligibleRoles ?? null,
      isComplete: !!result,
      qualityContribution: result?.qualityContribution ?? null,
      action: result?.action ?? null,
      performance: result?.score ?? result?.performance ?? null,
      roll: result?.roll ?? null,
      completedAt: result?.completedAt ?? null,
      completedByEntityId: result?.completedByEntityId ?? null,
      readyAt: index === s.currentStepIndex && s.status === 'active' ? (s.stepReadyAt?.toISOString() ?? null) : null,
    };
  });
}

export function materialInfo(m: ReservedMaterial): Schemas['ReservedMaterial'] {
  return {
    instanceId: m.instanceId ?? m.sourceInstanceId,
    itemTemplateCode: m.itemTemplateCode,
    quantity: m.quantity,
    quality: m.quality,
    consumeOnStep: m.consumeOnStep,
    consumed: m.consumed,
    ...(m.returnedTo && { returnedToInstanceId: m.returnedTo }),
  };
}

export function sessionInfo(s: SessionRecord): Schemas['SessionInfo'] {
  return {
    sessionId: s.id,
    ...(s.recipe.batch && s.recipe.batch > 1 && { batch: s.recipe.batch }),
    ...(s.status === 'paused' && s.pausedAt && { pausedAt: s.pausedAt.toISOString() }),
    ...(s.creatorSignature && { creatorSignature: s.creatorSignature }),
    contractId: s.contractId,
    recipeId: s.recipeId,
    recipeCode: s.recipeCode,
    gameServiceId: s.gameServiceId,
    entityId: s.entityId,
    entityType: s.entityType,
    inventoryId: s.inventoryId,
    status: s.status,
    currentStepCode: s.status === 'active' ? (s.recipe.steps[s.currentStepIndex]?.code ?? null) : null,
    accumulatedQuality: s.accumulatedQuality,
    state: s.state,
    attempt: s.attempt,
    steps: stepInfos(s),
    participants: s.participants,
    reservedMaterials: s.reservedMaterials.map(materialInfo),
    currencyHolds: s.currencyHolds.filter((h) => h.holdId).map((h) => ({ currencyCode: h.currencyCode, amount: h.amount, holdId: h.holdId! })),
    stationId: s.stationId,
    toolItemId: s.tools[0]?.instanceId ?? null,
    targetItemId: s.targetItemId,
    startedAt: s.startedAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    completedAt: s.completedAt?.toISOString() ?? null,
    finalQuality: s.finalQuality,
    outputItemIds: s.outputItemIds,
    failureReason: s.failureReason,
  };
}
