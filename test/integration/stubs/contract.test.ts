// The contract stub: Active at once (with a system party), milestones, the prebound call on
// fulfilment (exactly once), and contract.terminated published once on JetStream.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientError } from '../../../src/clients/errors.js';
import { ContractStub, SYSTEM_PARTY, StubFaults } from '../../../src/clients/stubs/index.js';
import { concurrently, key, startStubs, tempStream, type StubEnv } from './stub-env.js';

let env: StubEnv;
let stream: Awaited<ReturnType<typeof tempStream>>;
let contract: ContractStub;
const invoked: { path: string; body: Record<string, unknown> }[] = [];
const logged: { obj: object; msg?: string }[] = [];
let failPrebound = false;
const publishCalls: string[] = [];

beforeAll(async () => {
  env = await startStubs();
  stream = await tempStream();
  contract = new ContractStub(
    {
      prisma: env.prisma,
      faults: new StubFaults(),
      log: { warn: (obj, msg) => logged.push({ obj, msg }), error: (obj, msg) => logged.push({ obj, msg }) },
    },
    {
      invokePrebound: async (path, body) => {
        invoked.push({ path, body });
        await new Promise((r) => setTimeout(r, 20));
        if (failPrebound) throw new Error('craft service down');
      },
      publish: async (subject, data, msgId) => {
        publishCalls.push(msgId);
        await stream.publish(subject, data, msgId);
      },
      terminatedSubject: stream.subject,
    },
  );
});

afterAll(async () => {
  await stream.close();
  await env.close();
});

const crafter = () => ({ entityId: randomUUID(), entityType: 'character', role: 'crafter' });

/** A contract of a fresh game service (`gs`, which every later call must name). */
async function newContract(steps = ['heat', 'hammer', 'quench']) {
  const sessionId = randomUUID();
  const gs = randomUUID();
  const c = await contract.createInstance(
    {
      gameServiceId: gs,
      parties: [crafter()],
      milestones: steps.map((code) => ({ code, name: `Step ${code}` })),
      onFinalMilestone: { path: '/craft/internal/complete-session', body: { sessionId } },
    },
    key('contract'),
  );
  return { c, sessionId, gs };
}

const callsFor = (sessionId: string) => invoked.filter((i) => i.body.sessionId === sessionId);

/** Every message of the test stream (they are few), parsed. */
async function messages() {
  const info = await stream.jsm.streams.info(stream.stream);
  const out: { msgId: string | undefined; data: Record<string, any> }[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await stream.jsm.streams.getMessage(stream.stream, { seq });
    if (m) out.push({ msgId: m.header?.get('Nats-Msg-Id'), data: m.json<Record<string, any>>() });
  }
  return out;
}

describe('contract stub', () => {
  it('creates an Active contract, adding a system party to a single party; replays return it', async () => {
    const party = crafter();
    const gs = randomUUID();
    const input = {
      gameServiceId: gs,
      parties: [party],
      milestones: [{ code: 'a', name: 'A' }],
      onFinalMilestone: { path: '/x', body: {} },
    };
    const k = key('create');
    const { ok, errors } = await concurrently(20, () => contract.createInstance(input, k));
    expect(errors).toEqual([]);
    expect(new Set(ok.map((c) => c.contractId)).size).toBe(1);
    expect(ok[0]).toMatchObject({
      gameServiceId: gs,
      status: 'Active',
      parties: [party, SYSTEM_PARTY],
      milestones: [{ code: 'a', name: 'A', isComplete: false }],
      terminationReason: null,
    });
    expect(await contract.getInstance(ok[0]!.contractId, gs)).toEqual(ok[0]);
    const two = await contract.createInstance({ ...input, parties: [party, crafter()] }, key());
    expect(two.parties).toHaveLength(2);
    await expect(contract.createInstance({ ...input, milestones: [] }, key())).rejects.toMatchObject({ kind: 'invalid' });
    await expect(contract.createInstance({ ...input, gameServiceId: '' }, key())).rejects.toMatchObject({ kind: 'invalid' });
    await expect(
      contract.createInstance({ ...input, milestones: [{ code: 'a', name: 'A' }, { code: 'a', name: 'B' }] }, key()),
    ).rejects.toMatchObject({ kind: 'invalid' });
    expect(await contract.getInstance(randomUUID(), gs)).toBeNull();
  });

  it('completes milestones idempotently and calls the prebound API once when all are done', async () => {
    const { c, sessionId, gs } = await newContract();
    const k = key('m1');
    const first = await contract.completeMilestone({ contractId: c.contractId, gameServiceId: gs, milestoneCode: 'heat' }, k);
    expect(await contract.completeMilestone({ contractId: c.contractId, gameServiceId: gs, milestoneCode: 'heat' }, k)).toEqual(first);
    expect(first.milestones.map((m) => m.isComplete)).toEqual([true, false, false]);
    // Completing it again with a new key is a no-op.
    await contract.completeMilestone({ contractId: c.contractId, gameServiceId: gs, milestoneCode: 'heat' }, key());
    await contract.completeMilestone({ contractId: c.contractId, gameServiceId: gs, milestoneCode: 'hammer' }, key());
    expect(callsFor(sessionId)).toHaveLength(0);
    const done = await contract.completeMilestone({ contractId: c.contractId, gameServiceId: gs, milestoneCode: 'quench' }, key('last'));
    expect(done.status).toBe('Fulfilled');
    expect(callsFor(sessionId)).toEqual([{ path: '/craft/internal/complete-session', body: { sessionId } }]);
    await contract.completeMilestone({ contractId: c.contractId, gameServiceId: gs, milestoneCode: 'quench' }, key());
    expect(callsFor(sessionId)).toHaveLength(1);
    await expect(contract.completeMilestone({ contractId: c.contractId, gameServiceId: gs, milestoneCode: 'nope' }, key())).rejects.toMatchObject({ kind: 'invalid' });
    await expect(contract.completeMilestone({ contractId: randomUUID(), gameServiceId: gs, milestoneCode: 'heat' }, key())).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('concurrent completions of the last milestone (same and different keys) call the prebound API once', async () => {
    const { c, sessionId, gs } = await newContract(['a', 'b']);
    await contract.completeMilestone({ contractId: c.contractId, gameServiceId: gs, milestoneCode: 'a' }, key());
    const sameKey = key('last');
    const { ok, errors } = await concurrently(50, (i) =>
      contract.completeMilestone({ contractId: c.contractId, gameServiceId: gs, milestoneCode: 'b' }, i % 2 === 0 ? sameKey : key()),
    );
    expect(errors).toEqual([]);
    expect(ok.every((x) => x.milestones.every((m) => m.isComplete))).toBe(true);
    expect(callsFor(sessionId)).toHaveLength(1);
    expect((await contract.getInstance(c.contractId, gs))!.status).toBe('Fulfilled');
  });

  it('a failing prebound call is logged and swallowed; the milestone stays complete', async () => {
    const { c, sessionId, gs } = await newContract(['only']);
    failPrebound = true;
    try {
      const done = await contract.completeMilestone({ contractId: c.contractId, gameServiceId: gs, milestoneCode: 'only' }, key());
      expect(done.status).toBe('Fulfilled');
    } finally {
      failPrebound = false;
    }
    expect(callsFor(sessionId)).toHaveLength(1);
    expect(logged.some((l) => (l.obj as { contractId?: string }).contractId === c.contractId)).toBe(true);
    expect((await contract.getInstance(c.contractId, gs))!.milestones[0]!.isComplete).toBe(true);
  });

  it('terminate marks the contract Terminated and publishes exactly one contract.terminated', async () => {
    const { c, gs } = await newContract();
    const by = randomUUID();
    const k = key('terminate');
    const { ok, errors } = await concurrently(30, (i) =>
      contract.terminate(
        { contractId: c.contractId, gameServiceId: gs, reason: 'cancelled by player', terminatedByEntityId: by, terminatedByEntityType: 'character' },
        i < 15 ? k : key(),
      ),
    );
    expect(errors).toEqual([]);
    expect(ok.every((x) => x.status === 'Terminated' && x.terminationReason === 'cancelled by player')).toBe(true);

    expect(publishCalls.filter((id) => id === `contract.terminated:${c.contractId}`)).toHaveLength(1);
    const mine = (await messages()).filter((m) => m.data.contractId === c.contractId);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.msgId).toBe(`contract.terminated:${c.contractId}`);
    expect(mine[0]!.data).toEqual({
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      eventName: 'contract.terminated',
      timestamp: expect.any(String),
      contractId: c.contractId,
      reason: 'cancelled by player',
      wasBreachRelated: false,
      terminatedByEntityId: by,
      terminatedByEntityType: 'character',
    });

    await expect(contract.completeMilestone({ contractId: c.contractId, gameServiceId: gs, milestoneCode: 'heat' }, key())).rejects.toMatchObject({ kind: 'conflict' });
    await expect(contract.terminate({ contractId: randomUUID(), gameServiceId: gs, reason: 'x' }, key())).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('terminating a fulfilled contract leaves it as it is and publishes nothing', async () => {
    const { c, gs } = await newContract(['one']);
    await contract.completeMilestone({ contractId: c.contractId, gameServiceId: gs, milestoneCode: 'one' }, key());
    const after = await contract.terminate({ contractId: c.contractId, gameServiceId: gs, reason: 'too late' }, key());
    expect(after.status).toBe('Fulfilled');
    expect((await messages()).filter((m) => m.data.contractId === c.contractId)).toHaveLength(0);
  });

  it('a failed publish is logged; the termination stands', async () => {
    const failing = new ContractStub(
      { prisma: env.prisma, faults: new StubFaults(), log: { warn: () => undefined, error: (obj, msg) => logged.push({ obj, msg }) } },
      {
        invokePrebound: async () => undefined,
        publish: async () => {
          throw new Error('NATS down');
        },
        terminatedSubject: stream.subject,
      },
    );
    const { c, gs } = await newContract();
    const after = await failing.terminate({ contractId: c.contractId, gameServiceId: gs, reason: 'x' }, key());
    expect(after.status).toBe('Terminated');
    expect(logged.some((l) => (l.obj as { contractId?: string }).contractId === c.contractId && /publishing/.test(l.msg ?? ''))).toBe(true);
  });

  it('with awaitPrebound false the callback runs in the background; whenIdle waits for it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const calls: unknown[] = [];
    const background = new ContractStub(
      { prisma: env.prisma, faults: new StubFaults() },
      {
        invokePrebound: async (_path, body) => {
          await gate;
          calls.push(body);
        },
        publish: async () => undefined,
        terminatedSubject: stream.subject,
        awaitPrebound: false,
      },
    );
    const { c, sessionId, gs } = await newContract(['only']);
    const done = await background.completeMilestone({ contractId: c.contractId, gameServiceId: gs, milestoneCode: 'only' }, key());
    expect(done.status).toBe('Fulfilled');
    expect(calls).toEqual([]);
    release();
    await background.whenIdle();
    expect(calls).toEqual([{ sessionId }]);
  });

  it("another game service cannot see a contract: getInstance is null, completeMilestone and terminate not_found, nothing changes", async () => {
    const { c, sessionId, gs } = await newContract(['only']);
    const other = randomUUID();
    const before = await contract.getInstance(c.contractId, gs);
    expect(before).toMatchObject({ contractId: c.contractId, gameServiceId: gs, status: 'Active' });

    expect(await contract.getInstance(c.contractId, other)).toBeNull();
    await expect(
      contract.completeMilestone({ contractId: c.contractId, gameServiceId: other, milestoneCode: 'only' }, key()),
    ).rejects.toMatchObject({ service: 'contract', kind: 'not_found' });
    await expect(
      contract.terminate({ contractId: c.contractId, gameServiceId: other, reason: 'hijack' }, key()),
    ).rejects.toMatchObject({ service: 'contract', kind: 'not_found' });

    // Still Active with its milestone open, no prebound call, no contract.terminated.
    expect(await contract.getInstance(c.contractId, gs)).toEqual(before);
    expect(callsFor(sessionId)).toHaveLength(0);
    expect(publishCalls).not.toContain(`contract.terminated:${c.contractId}`);
    expect((await messages()).filter((m) => m.data.contractId === c.contractId)).toHaveLength(0);
    // The owner can still complete it.
    const done = await contract.completeMilestone({ contractId: c.contractId, gameServiceId: gs, milestoneCode: 'only' }, key());
    expect(done).toMatchObject({ status: 'Fulfilled', gameServiceId: gs });
    expect(callsFor(sessionId)).toHaveLength(1);
  });

  it('errors are ClientErrors of the contract service', async () => {
    const err = await contract
      .completeMilestone({ contractId: randomUUID(), gameServiceId: randomUUID(), milestoneCode: 'x' }, key())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect(err).toMatchObject({ service: 'contract', kind: 'not_found' });
  });
});
