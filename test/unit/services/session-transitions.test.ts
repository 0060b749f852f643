import { describe, expect, it } from 'vitest';
import { ALLOWED_TRANSITIONS, checkTransition, TERMINAL_STATUSES, TransitionRefused, type SessionStatus } from '../../../src/services/sessions/session-model.js';

const ALL = Object.keys(ALLOWED_TRANSITIONS) as SessionStatus[];

describe('allowed session transitions', () => {
  it('everyStatus_isReachableFromStarting_andEveryLiveOneCanStillEnd', () => {
    const reached = new Set<SessionStatus>(['starting']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const from of [...reached]) {
        for (const to of ALLOWED_TRANSITIONS[from]) {
          if (reached.has(to)) continue;
          reached.add(to);
          grew = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...ALL].sort());
    // A live session can always be cancelled or completed: no live status is a dead end.
    for (const s of ALL.filter((x) => !TERMINAL_STATUSES.includes(x))) expect(ALLOWED_TRANSITIONS[s].length).toBeGreaterThan(0);
  });

  it('terminalStatuses_neverChangeAgain_butMayRecordProgress', () => {
    for (const from of TERMINAL_STATUSES) {
      for (const to of ALL.filter((x) => x !== from)) expect(() => checkTransition(from, to)).toThrow(TransitionRefused);
      expect(() => checkTransition(from, from)).not.toThrow();
    }
  });

  it('skippingTheTransitionalStates_isRefused', () => {
    // Outputs only through `completing`, returns only through `cancelling`, activity only through `starting`.
    expect(() => checkTransition('active', 'completed')).toThrow('a session cannot go from active to completed');
    expect(() => checkTransition('active', 'cancelled')).toThrow(TransitionRefused);
    expect(() => checkTransition('starting', 'completing')).toThrow(TransitionRefused);
    expect(() => checkTransition('cancelling', 'active')).toThrow(TransitionRefused);
    expect(() => checkTransition('completing', 'active')).toThrow(TransitionRefused);
    expect(() => checkTransition('active', 'completing')).not.toThrow();
    expect(() => checkTransition('completing', 'cancelling')).not.toThrow();
  });
});
