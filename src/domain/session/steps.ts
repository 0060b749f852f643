/** Step progression rules of a session: strictly in order, with server-time durations. */

export interface StepDefinition {
  code: string;
  durationSeconds?: number | null;
  skillCheck?: boolean | null;
  eligibleRoles?: readonly string[] | null;
}

export type AdvanceRejection =
  | { code: 'STEP_NOT_FOUND'; message: string }
  | { code: 'STEP_ALREADY_COMPLETED'; message: string }
  | { code: 'STEP_OUT_OF_ORDER'; message: string; expectedStepCode: string | null }
  | { code: 'STEP_NOT_READY'; message: string; readyAt: string };

/** When a step that becomes current at `startedAt` may complete (server clock). */
export function readyAt(step: StepDefinition, startedAt: Date): Date {
  return new Date(startedAt.getTime() + (step.durationSeconds ?? 0) * 1000);
}

export function checkAdvance(
  steps: readonly StepDefinition[],
  currentIndex: number,
  stepCode: string,
  stepReadyAt: Date | null,
  now: Date,
): AdvanceRejection | null {
  const index = steps.findIndex((s) => s.code === stepCode);
  if (index < 0) return { code: 'STEP_NOT_FOUND', message: `"${stepCode}" is not a step of this recipe` };
  if (index < currentIndex) return { code: 'STEP_ALREADY_COMPLETED', message: `step "${stepCode}" is already complete` };
  if (index > currentIndex) {
    const expected = steps[currentIndex]?.code ?? null;
    return {
      code: 'STEP_OUT_OF_ORDER',
      message: `steps complete in order; the next step is "${expected}"`,
      expectedStepCode: expected,
    };
  }
  if (stepReadyAt && now.getTime() < stepReadyAt.getTime()) {
    return {
      code: 'STEP_NOT_READY',
      message: `step "${stepCode}" takes time; it can complete at ${stepReadyAt.toISOString()}`,
      readyAt: stepReadyAt.toISOString(),
    };
  }
  return null;
}

export function skillCheckCount(steps: readonly StepDefinition[]): number {
  return steps.filter((s) => s.skillCheck).length;
}
