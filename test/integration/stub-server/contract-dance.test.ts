// The contract stub's real-API dance: template -> create (Proposed) -> propose -> every
// party's consent (Active) -> milestones (Fulfilled, the template's onComplete called once).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractStub, StubFaults } from '../../../src/clients/stubs/index.js';
import { concurrently, key, startStubs, type StubEnv } from '../stubs/stub-env.js';

let env: StubEnv;
let contract: ContractStub;
const invoked: { path: string; body: Record<string, unknown> }[] = [];

beforeAll(async () => {
  env = await startStubs();
  contract = new ContractStub(
    { prisma: env.prisma, faults: new StubFaults() },
    {
      invokePrebound: async (path, body) => {
        invoked.push({ path, body });
      },
      publish: async () => undefined,
      terminatedSubject: 'unused.contract.terminated',
    },
  );
});

afterAll(async () => {
  await env.close();
});

const party = (role: string) => ({ entityId: randomUUID(), entityType: 'character', role });
const COMPLETE = '/craft/internal/complete-session';

/** A template of a fresh game service whose last milestone calls COMPLETE with `sessionId`. */
async function template(opts: { minParties?: number; steps?: string[] } = {}) {
  const gs = randomUUID();
  const sessionId = randomUUID();
  const steps = opts.steps ?? ['heat', 'hammer'];
  const t = await contract.createTemplate(
    {
      gameServiceId: gs,
      code: `craft-${randomUUID()}`,
      minParties: opts.minParties ?? 2,
      milestones: steps.map((code, i) => ({
        code,
        name: `Step ${code}`,
        ...(i === steps.length - 1 && { onComplete: { path: COMPLETE, body: { sessionId } } }),
      })),
    },
    key('template'),
  );
  return { t, gs, sessionId };
}

describe('contract stub: the real API dance', () => {
  it('dance_templateCreateProposeConsentAll_becomesActiveThenFulfilled_callingOnCompleteOnce', async () => {
    const { t, gs, sessionId } = await template();
    expect(t).toMatchObject({ gameServiceId: gs, minParties: 2, milestones: [{ code: 'heat' }, { code: 'hammer', onComplete: { path: COMPLETE } }] });
    const [crafter, system] = [party('crafter'), party('system')];
    const c = await contract.createFromTemplate({ templateId: t.templateId, gameServiceId: gs, parties: [crafter, system] }, key());
    expect(c).toMatchObject({ status: 'Proposed', parties: [crafter, system], milestones: [{ code: 'heat', isComplete: false }, { code: 'hammer', isComplete: false }] });
    const ref = { contractId: c.contractId, gameServiceId: gs };

    // A consent before the proposal is refused; a milestone of a Proposed contract too.
    await expect(contract.consent({ ...ref, ...crafter }, key())).rejects.toMatchObject({ kind: 'conflict' });
    await expect(contract.completeMilestone({ ...ref, milestoneCode: 'heat' }, key())).rejects.toMatchObject({ kind: 'conflict' });

    expect((await contract.propose(ref, key())).status).toBe('Proposed');
    expect((await contract.propose(ref, key())).status).toBe('Proposed');
    await expect(contract.consent({ ...ref, entityId: randomUUID(), entityType: 'character' }, key())).rejects.toMatchObject({ kind: 'invalid' });
    expect((await contract.consent({ ...ref, ...crafter }, key())).status).toBe('Proposed');
    expect((await contract.consent({ ...ref, ...crafter }, key())).status).toBe('Proposed'); // twice: a no-op
    await expect(contract.completeMilestone({ ...ref, milestoneCode: 'heat' }, key())).rejects.toMatchObject({ kind: 'conflict' });
    const active = await contract.consent({ ...ref, ...system }, key());
    expect(active.status).toBe('Active');
    expect((await contract.consent({ ...ref, ...system }, key())).status).toBe('Active');
    await expect(contract.propose(ref, key())).rejects.toMatchObject({ kind: 'conflict' });

    await contract.completeMilestone({ ...ref, milestoneCode: 'heat' }, key());
    expect(invoked.filter((i) => i.body.sessionId === sessionId)).toHaveLength(0);
    const done = await contract.completeMilestone({ ...ref, milestoneCode: 'hammer' }, key());
    expect(done.status).toBe('Fulfilled');
    // Repeating a completed milestone of the Fulfilled contract is a no-op, not a conflict.
    expect((await contract.completeMilestone({ ...ref, milestoneCode: 'hammer' }, key())).status).toBe('Fulfilled');
    expect(invoked.filter((i) => i.body.sessionId === sessionId)).toEqual([{ path: COMPLETE, body: { sessionId } }]);
    await expect(contract.consent({ ...ref, ...crafter }, key())).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('concurrentLastConsents_activateOnce_andTheLastMilestoneCallsOnCompleteOnce', async () => {
    const { t, gs, sessionId } = await template({ minParties: 3, steps: ['only'] });
    const parties = [party('a'), party('b'), party('c')];
    const c = await contract.createFromTemplate({ templateId: t.templateId, gameServiceId: gs, parties }, key());
    const ref = { contractId: c.contractId, gameServiceId: gs };
    await contract.propose(ref, key());
    const { errors } = await concurrently(9, (i) => contract.consent({ ...ref, ...parties[i % 3]! }, key()));
    expect(errors).toEqual([]);
    expect((await contract.getInstance(c.contractId, gs))!.status).toBe('Active');
    const { errors: e2 } = await concurrently(10, () => contract.completeMilestone({ ...ref, milestoneCode: 'only' }, key()));
    expect(e2).toEqual([]);
    expect(invoked.filter((i) => i.body.sessionId === sessionId)).toHaveLength(1);
  });

  it('minParties_isEnforced_atTemplateAndAtCreate', async () => {
    const gs = randomUUID();
    const base = { gameServiceId: gs, code: 'x', milestones: [{ code: 'a', name: 'A' }] };
    await expect(contract.createTemplate({ ...base, minParties: 1 }, key())).rejects.toMatchObject({ kind: 'invalid' });
    const { t, gs: tgs } = await template({ minParties: 3 });
    await expect(
      contract.createFromTemplate({ templateId: t.templateId, gameServiceId: tgs, parties: [party('a'), party('b')] }, key()),
    ).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('templateRules_lastMilestoneOnlyCarriesOnComplete_uniqueCodes_codeConflict_unknownTemplateNotFound', async () => {
    const gs = randomUUID();
    const onComplete = { path: COMPLETE, body: {} };
    const input = { gameServiceId: gs, code: 'forge', minParties: 2, milestones: [{ code: 'a', name: 'A' }, { code: 'b', name: 'B', onComplete }] };
    await expect(
      contract.createTemplate({ ...input, milestones: [{ code: 'a', name: 'A', onComplete }, { code: 'b', name: 'B' }] }, key()),
    ).rejects.toMatchObject({ kind: 'invalid' });
    await expect(contract.createTemplate({ ...input, milestones: [{ code: 'a', name: 'A' }, { code: 'a', name: 'B' }] }, key())).rejects.toMatchObject({ kind: 'invalid' });
    const k = key('forge');
    const first = await contract.createTemplate(input, k);
    expect(await contract.createTemplate(input, k)).toEqual(first); // a retry replays
    await expect(contract.createTemplate(input, key())).rejects.toMatchObject({ kind: 'conflict' });
    // The same code in another game service is fine; its template is unknown to this one.
    const other = await contract.createTemplate({ ...input, gameServiceId: randomUUID() }, key());
    await expect(
      contract.createFromTemplate({ templateId: other.templateId, gameServiceId: gs, parties: [party('a'), party('b')] }, key()),
    ).rejects.toMatchObject({ kind: 'not_found' });
    await expect(
      contract.createFromTemplate({ templateId: randomUUID(), gameServiceId: gs, parties: [party('a'), party('b')] }, key()),
    ).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('keysReplay_createFromTemplateProposeConsent_returnTheStoredResult', async () => {
    const { t, gs } = await template();
    const parties = [party('a'), party('b')];
    const k = key('create');
    const { ok, errors } = await concurrently(10, () => contract.createFromTemplate({ templateId: t.templateId, gameServiceId: gs, parties }, k));
    expect(errors).toEqual([]);
    expect(new Set(ok.map((c) => c.contractId)).size).toBe(1);
    const ref = { contractId: ok[0]!.contractId, gameServiceId: gs };
    const pk = key('propose');
    const proposed = await contract.propose(ref, pk);
    expect(await contract.propose(ref, pk)).toEqual(proposed);
    const ck = key('consent');
    const consented = await contract.consent({ ...ref, ...parties[0]! }, ck);
    await contract.consent({ ...ref, ...parties[1]! }, key());
    // The replay is the stored (Proposed) answer, though the contract is Active now.
    expect(await contract.consent({ ...ref, ...parties[0]! }, ck)).toEqual(consented);
    expect((await contract.getInstance(ref.contractId, gs))!.status).toBe('Active');
    await expect(contract.propose(ref, ck)).rejects.toMatchObject({ kind: 'invalid' }); // a key of another operation
  });

  it('aTemplateWithoutOnComplete_fulfilsWithoutAnyCall', async () => {
    const gs = randomUUID();
    const t = await contract.createTemplate({ gameServiceId: gs, code: 'plain', minParties: 2, milestones: [{ code: 'a', name: 'A' }] }, key());
    const parties = [party('a'), party('b')];
    const c = await contract.createFromTemplate({ templateId: t.templateId, gameServiceId: gs, parties }, key());
    const ref = { contractId: c.contractId, gameServiceId: gs };
    await contract.propose(ref, key());
    for (const p of parties) await contract.consent({ ...ref, ...p }, key());
    const before = invoked.length;
    expect((await contract.completeMilestone({ ...ref, milestoneCode: 'a' }, key())).status).toBe('Fulfilled');
    expect(invoked).toHaveLength(before);
  });
});
