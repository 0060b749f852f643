import { randomUUID } from 'node:crypto';
import type { StubContract } from '../../generated/prisma/client.js';
import type {
  ContractClient,
  ContractInstance,
  ContractMilestone,
  ContractParty,
  ContractStatus,
} from '../contract-client.js';
import { ClientError } from '../errors.js';
import { parseJson, requireNonEmpty, StubCalls, type StubDeps, type StubTx } from './stub-calls.js';

const SERVICE = 'contract';

/** The synthetic second party the stub adds when the caller names only one. */
export const SYSTEM_PARTY: ContractParty = {
  entityId: '00000000-0000-0000-0000-000000000000',
  entityType: 'system',
  role: 'system',
};

/** The event the stub publishes when it terminates a contract (the contract service's shape). */
export interface ContractTerminatedEvent {
  eventId: string;
  eventName: 'contract.terminated';
  timestamp: string;
  contractId: string;
  reason: string;
  wasBreachRelated: false;
  terminatedByEntityId?: string;
  terminatedByEntityType?: string;
}

export interface ContractStubOptions {
  /**
   * Calls a fulfilled contract's prebound API (`onFinalMilestone.path` with its body); the
   * runtime wires `/craft/internal/complete-session` to the session service. An error is
   * logged and swallowed: the milestone stays complete and lib-craft recovers on its own.
   */
  invokePrebound: (path: string, body: Record<string, unknown>) => Promise<void>;
  /** Publishes on JetStream with a dedup id (e.g. `(s, d, id) => bus.publish(s, d, id)`). */
  publish: (subject: string, data: string, msgId: string) => Promise<void>;
  /** Subject of `contract.terminated` (e.g. `contract.terminated`); its stream must exist. */
  terminatedSubject: string;
  /**
   * true (default): completeMilestone returns after the prebound call has finished. false:
   * it runs in the background (see `whenIdle()`), as a real contract service would.
   */
  awaitPrebound?: boolean;
}

function toContract(r: StubContract): ContractInstance {
  return {
    contractId: r.id,
    gameServiceId: r.gameServiceId ?? '',
    status: r.status as ContractStatus,
    parties: parseJson<ContractParty[]>(r.parties, []),
    milestones: parseJson<ContractMilestone[]>(r.milestones, []),
    terminationReason: r.terminationReason,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Locks a contract of the game service (another game service's is `not_found`) and returns it. */
async function lockContract(tx: StubTx, contractId: string, gameServiceId: string): Promise<StubContract> {
  await tx.$queryRaw`SELECT id FROM stub_contract WHERE id = ${contractId} FOR UPDATE`;
  const row = await tx.stubContract.findUnique({ where: { id: contractId } });
  if (!row || row.gameServiceId !== gameServiceId) throw new ClientError(SERVICE, 'not_found', `contract ${contractId} not found`);
  return row;
}

/**
 * The contract service of record in standalone mode (table stub_contract). Contracts are
 * Active from creation; completing the last milestone fulfils the contract and then calls
 * its prebound API once; terminating publishes `contract.terminated` (msgID
 * `contract.terminated:<contractId>`). Known limitation: if that publish fails it is
 * logged, not retried (a later terminate call does not publish again).
 */
export class ContractStub implements ContractClient {
  private readonly calls: StubCalls;
  private readonly background = new Set<Promise<void>>();

  constructor(
    deps: StubDeps,
    private readonly opts: ContractStubOptions,
  ) {
    this.calls = new StubCalls(SERVICE, deps);
  }

  /** Resolves when every background prebound call has finished (awaitPrebound: false). */
  async whenIdle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  createInstance(
    input: {
      gameServiceId: string;
      parties: ContractParty[];
      milestones: { code: string; name: string }[];
      onFinalMilestone: { path: string; body: Record<string, unknown> };
    },
    idempotencyKey: string,
  ): Promise<ContractInstance> {
    return this.calls.mutate('createInstance', idempotencyKey, async (tx) => {
      requireNonEmpty(SERVICE, 'gameServiceId', input.gameServiceId, 36);
      if (!Array.isArray(input.parties) || input.parties.length === 0) {
        throw new ClientError(SERVICE, 'invalid', 'a contract needs at least one party');
      }
      const parties = input.parties.map((p) => ({
        entityId: requireNonEmpty(SERVICE, 'party entityId', p.entityId, 100),
        entityType: requireNonEmpty(SERVICE, 'party entityType', p.entityType, 100),
        role: requireNonEmpty(SERVICE, 'party role', p.role, 100),
      }));
      if (parties.length === 1) parties.push({ ...SYSTEM_PARTY });
      if (!Array.isArray(input.milestones) || input.milestones.length === 0) {
        throw new ClientError(SERVICE, 'invalid', 'a contract needs at least one milestone');
      }
      const milestones: ContractMilestone[] = input.milestones.map((m) => ({
        code: requireNonEmpty(SERVICE, 'milestone code', m.code),
        name: typeof m.name === 'string' ? m.name : m.code,
        isComplete: false,
      }));
      if (new Set(milestones.map((m) => m.code)).size !== milestones.length) {
        throw new ClientError(SERVICE, 'invalid', 'milestone codes must be unique');
      }
      const onFinal = input.onFinalMilestone;
      requireNonEmpty(SERVICE, 'onFinalMilestone.path', onFinal?.path, 500);
      if (typeof onFinal.body !== 'object' || onFinal.body === null || Array.isArray(onFinal.body)) {
        throw new ClientError(SERVICE, 'invalid', 'onFinalMilestone.body must be an object');
      }
      const row = await tx.stubContract.create({
        data: {
          id: randomUUID(),
          gameServiceId: input.gameServiceId,
          status: 'Active',
          parties: JSON.stringify(parties),
          milestones: JSON.stringify(milestones),
          onFinal: JSON.stringify({ path: onFinal.path, body: onFinal.body }),
        },
      });
      return toContract(row);
    });
  }

  getInstance(contractId: string, gameServiceId: string): Promise<ContractInstance | null> {
    return this.calls.call('getInstance', async () => {
      const row = await this.calls.prisma.stubContract.findFirst({ where: { id: contractId, gameServiceId } });
      return row ? toContract(row) : null;
    });
  }

  completeMilestone(input: { contractId: string; gameServiceId: string; milestoneCode: string }, idempotencyKey: string): Promise<ContractInstance> {
    return this.calls.mutate('completeMilestone', idempotencyKey, async (tx, onCommit) => {
      const row = await lockContract(tx, input.contractId, input.gameServiceId);
      if (row.status === 'Terminated') {
        throw new ClientError(SERVICE, 'conflict', `contract ${row.id} is terminated`);
      }
      const milestones = parseJson<ContractMilestone[]>(row.milestones, []);
      const milestone = milestones.find((m) => m.code === input.milestoneCode);
      if (!milestone) {
        throw new ClientError(SERVICE, 'invalid', `contract ${row.id} has no milestone "${input.milestoneCode}"`);
      }
      if (milestone.isComplete) return toContract(row);
      milestone.isComplete = true;
      const fulfilled = milestones.every((m) => m.isComplete);
      const updated = await tx.stubContract.update({
        where: { id: row.id },
        data: { milestones: JSON.stringify(milestones), ...(fulfilled && { status: 'Fulfilled' }) },
      });
      if (fulfilled) {
        // Only the call that fulfilled the contract gets here (the row lock serialises the
        // rest, which then find the milestone complete), so the prebound API runs once.
        const onFinal = parseJson<{ path: string; body: Record<string, unknown> }>(row.onFinal, { path: '', body: {} });
        onCommit(() => this.callPrebound(row.id, onFinal));
      }
      return toContract(updated);
    });
  }

  terminate(
    input: { contractId: string; gameServiceId: string; reason: string; terminatedByEntityId?: string; terminatedByEntityType?: string },
    idempotencyKey: string,
  ): Promise<ContractInstance> {
    return this.calls.mutate('terminate', idempotencyKey, async (tx, onCommit) => {
      const reason = requireNonEmpty(SERVICE, 'reason', input.reason, 500);
      const row = await lockContract(tx, input.contractId, input.gameServiceId);
      // Terminated stays as it is (idempotent); Fulfilled cannot be terminated any more.
      if (row.status !== 'Active' && row.status !== 'Proposed') return toContract(row);
      const updated = await tx.stubContract.update({
        where: { id: row.id },
        data: { status: 'Terminated', terminationReason: reason },
      });
      const event: ContractTerminatedEvent = {
        eventId: randomUUID(),
        eventName: 'contract.terminated',
        timestamp: updated.updatedAt.toISOString(),
        contractId: row.id,
        reason,
        wasBreachRelated: false,
        ...(input.terminatedByEntityId !== undefined && { terminatedByEntityId: input.terminatedByEntityId }),
        ...(input.terminatedByEntityType !== undefined && { terminatedByEntityType: input.terminatedByEntityType }),
      };
      onCommit(() => this.publishTerminated(event));
      return toContract(updated);
    });
  }

  private async publishTerminated(event: ContractTerminatedEvent): Promise<void> {
    try {
      await this.opts.publish(this.opts.terminatedSubject, JSON.stringify(event), `contract.terminated:${event.contractId}`);
    } catch (err) {
      this.calls.log.error(
        { err, contractId: event.contractId, subject: this.opts.terminatedSubject },
        'stub contract service: publishing contract.terminated failed (not retried)',
      );
    }
  }

  private async callPrebound(contractId: string, onFinal: { path: string; body: Record<string, unknown> }): Promise<void> {
    const run = (async () => {
      try {
        await this.opts.invokePrebound(onFinal.path, onFinal.body);
      } catch (err) {
        this.calls.log.error(
          { err, contractId, path: onFinal.path },
          'stub contract service: the prebound API of a fulfilled contract failed',
        );
      }
    })();
    if (this.opts.awaitPrebound ?? true) {
      await run;
      return;
    }
    this.background.add(run);
    void run.finally(() => this.background.delete(run));
  }
}
