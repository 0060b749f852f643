import { expect } from 'vitest';
import { compileRuleset } from '../../src/domain/rules/compile.js';
import { nextAttempt, play, startRules, type RulesRecord } from '../../src/domain/rules/play.js';
import type { RulesetDefinition } from '../../src/domain/rules/ruleset.js';
import type { Harness } from './harness.js';

/**
 * Replays a stored ruleset session from its seed, its inputs and the actions it recorded, with
 * the pure engine alone (no service, no database writes), and checks it reaches the same pools,
 * buffs and outcomes as the session stored. Returns the replayed record.
 */
export async function expectReplaysExactly(h: Harness, sessionId: string): Promise<RulesRecord> {
  const row = await h.runtime.internals.prisma.craftSession.findUniqueOrThrow({ where: { id: sessionId } });
  const stored = JSON.parse(row.rules!) as Omit<RulesRecord, 'definition'>;
  const definition = JSON.parse(row.rulesDefinition!) as RulesetDefinition;
  const { ruleset: rs, problems } = compileRuleset(definition);
  expect(problems).toEqual([]);
  const first = stored.turns[0]?.at ?? stored.attemptStartedAt;
  let rec = startRules(rs!, { rulesetId: stored.rulesetId, code: stored.code, version: stored.version }, stored.inputs, new Date(first), new Date(stored.sessionExpiresAt));
  for (const t of stored.turns) {
    while (rec.state.attempt < t.attempt) rec = nextAttempt(rs!, rec, new Date(t.at));
    rec = play(rs!, rec, t.action, { performance: t.performance, consumedItemId: t.consumedItemId }, row.rngSeed, new Date(t.at)).rules;
  }
  expect(rec.state.pools).toEqual(stored.state.pools);
  expect(rec.state.buffs).toEqual(stored.state.buffs);
  expect(rec.state.condition).toEqual(stored.state.condition);
  expect(rec.outcomes).toEqual(stored.outcomes);
  expect(rec.turns.map((t) => t.result)).toEqual(stored.turns.map((t) => t.result));
  return rec;
}
