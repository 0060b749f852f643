import { randomUUID } from 'node:crypto';
import type { StubContract } from '../../generated/prisma/client.js';
import type { ContractClient, ContractInstance, ContractMilestone, ContractParty } from '../contract-client.js';
import { ClientError } from '../errors.js';
import {
  lockContract,
  onFinalOf,
  partyKey,
  SERVICE,
  SYSTEM_PARTY,
  toContract,
  toTemplate,
  validMinParties,
  validParties,
  validPrebound,
  validTemplateMilestones,
  type ContractStubOptions,
  type ContractTemplate,
  type ContractTemplateMilestone,
  type ContractTerminatedEvent,
  type PreboundCall,
} from './contract-rows.js';
import { parseJson, requireNonEmpty, StubCalls, type StubDeps, type StubTx } from './stub-calls.js';

export {
  SYSTEM_PARTY,
  type ContractStubOptions,
  type ContractTemplate,
  type ContractTemplateMilestone,
  type ContractTerminatedEvent,
  type PreboundCall,
} from './contract-rows.js';

/**
 * The contract service of record in standalone mode (tables stub_contract and
 * stub_contract_template). Two ways in: `createInstance` makes an Active contract at once (the
 * in-process shortcut), while `createTemplate`, `createFromTemplate`, `propose` and `consent`
 * are the real API's dance (Proposed until every party consented after the proposal, then
 * Active). Completing the last milestone of an Active contract fulfils it and then calls its
 * prebound API once; terminating publishes `contract.terminated` (msgID
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
    input: { gameServiceId: string; parties: ContractParty[]; milestones: { code: string; name: string }[]; onFinalMilestone: PreboundCall },
    idempotencyKey: string,
  ): Promise<ContractInstance> {
    return this.calls.mutate('createInstance', idempotencyKey, async (tx) => {
      requireNonEmpty(SERVICE, 'gameServiceId', input.gameServiceId, 36);
      const parties = validParties(input.parties);
      if (parties.length === 1) parties.push({ ...SYSTEM_PARTY });
      const milestones = validTemplateMilestones(input.milestones);
      const onFinal = validPrebound(input.onFinalMilestone, 'onFinalMilestone');
      return this.insert(tx, { gameServiceId: input.gameServiceId, parties, milestones, onFinal, status: 'Active', templateId: null });
    });
  }

  /** A template (the real API's first step); its code is unique in the game service (`conflict`). */
  createTemplate(
    input: { gameServiceId: string; code: string; minParties: number; milestones: ContractTemplateMilestone[] },
    idempotencyKey: string,
  ): Promise<ContractTemplate> {
    return this.calls.mutate('createTemplate', idempotencyKey, async (tx) => {
      requireNonEmpty(SERVICE, 'gameServiceId', input.gameServiceId, 36);
      const code = requireNonEmpty(SERVICE, 'code', input.code, 200);
      const minParties = validMinParties(input.minParties);
      const milestones = validTemplateMilestones(input.milestones);
      const taken = await tx.stubContractTemplate.findUnique({ where: { gameServiceId_code: { gameServiceId: input.gameServiceId, code } } });
      if (taken) throw new ClientError(SERVICE, 'conflict', `contract template "${code}" exists in this game service`);
      try {
        const row = await tx.stubContractTemplate.create({
          data: { id: randomUUID(), gameServiceId: input.gameServiceId, code, minParties, milestones: JSON.stringify(milestones) },
        });
        return toTemplate(row);
      } catch (err) {
        if ((err as { code?: string }).code !== 'P2002') throw err;
        throw new ClientError(SERVICE, 'conflict', `contract template "${code}" exists in this game service`);
      }
    });
  }

  /** A Proposed contract from a template of the game service, with at least its minParties parties. */
  createFromTemplate(input: { templateId: string; gameServiceId: string; parties: ContractParty[] }, idempotencyKey: string): Promise<ContractInstance> {
    return this.calls.mutate('createFromTemplate', idempotencyKey, async (tx) => {
      const found = await tx.stubContractTemplate.findFirst({ where: { id: String(input.templateId), gameServiceId: String(input.gameServiceId) } });
      if (!found) throw new ClientError(SERVICE, 'not_found', `contract template ${input.templateId} not found`);
      const template = toTemplate(found);
      const parties = validParties(input.parties);
      if (parties.length < template.minParties) {
        throw new ClientError(SERVICE, 'invalid', `template "${template.code}" needs at least ${template.minParties} parties, got ${parties.length}`);
      }
      const onFinal = template.milestones.at(-1)?.onComplete ?? null;
      const milestones = template.milestones.map(({ code, name }) => ({ code, name }));
      return this.insert(tx, { gameServiceId: template.gameServiceId, parties, milestones, onFinal, status: 'Proposed', templateId: template.templateId });
    });
  }

  /** Proposes a Proposed contract to its parties (records when); any other status is `conflict`. */
  propose(input: { contractId: string; gameServiceId: string }, idempotencyKey: string): Promise<ContractInstance> {
    return this.calls.mutate('propose', idempotencyKey, async (tx) => {
      const row = await lockContract(tx, input.contractId, input.gameServiceId);
      if (row.status !== 'Proposed') throw new ClientError(SERVICE, 'conflict', `contract ${row.id} is ${row.status}, not Proposed`);
      if (row.proposedAt) return toContract(row);
      return toContract(await tx.stubContract.update({ where: { id: row.id }, data: { proposedAt: new Date() } }));
    });
  }

  /**
   * A party's consent to a proposed contract; the last one makes it Active. Consenting again
   * is a no-op; a non-party is `invalid`; a contract not yet proposed, Fulfilled or
   * Terminated is `conflict`.
   */
  consent(input: { contractId: string; gameServiceId: string; entityId: string; entityType: string }, idempotencyKey: string): Promise<ContractInstance> {
    return this.calls.mutate('consent', idempotencyKey, async (tx) => {
      const row = await lockContract(tx, input.contractId, input.gameServiceId);
      if (row.status !== 'Proposed' && row.status !== 'Active') {
        throw new ClientError(SERVICE, 'conflict', `contract ${row.id} is ${row.status}`);
      }
      const parties = toContract(row).parties;
      const who = partyKey(input);
      if (!parties.some((p) => partyKey(p) === who)) throw new ClientError(SERVICE, 'invalid', `${who} is not a party of contract ${row.id}`);
      if (row.status === 'Proposed' && !row.proposedAt) throw new ClientError(SERVICE, 'conflict', `contract ${row.id} has not been proposed yet`);
      const consents = parseJson<string[]>(row.consents, []);
      if (consents.includes(who)) return toContract(row);
      consents.push(who);
      const everyone = parties.every((p) => consents.includes(partyKey(p)));
      const updated = await tx.stubContract.update({
        where: { id: row.id },
        data: { consents: JSON.stringify(consents), ...(everyone && { status: 'Active' }) },
      });
      return toContract(updated);
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
      const milestones = parseJson<ContractMilestone[]>(row.milestones, []);
      const milestone = milestones.find((m) => m.code === input.milestoneCode);
      if (!milestone) {
        throw new ClientError(SERVICE, 'invalid', `contract ${row.id} has no milestone "${input.milestoneCode}"`);
      }
      // A repeat is a no-op whatever the status since (a Fulfilled contract's last milestone).
      if (milestone.isComplete) return toContract(row);
      if (row.status !== 'Active') {
        throw new ClientError(SERVICE, 'conflict', `contract ${row.id} is ${row.status === 'Terminated' ? 'terminated' : `${row.status}, not Active`}`);
      }
      milestone.isComplete = true;
      const fulfilled = milestones.every((m) => m.isComplete);
      const updated = await tx.stubContract.update({
        where: { id: row.id },
        data: { milestones: JSON.stringify(milestones), ...(fulfilled && { status: 'Fulfilled' }) },
      });
      const onFinal = fulfilled ? onFinalOf(row) : null;
      // Only the call that fulfilled the contract gets here (the row lock serialises the
      // rest, which then find the milestone complete), so the prebound API runs once.
      if (onFinal) onCommit(() => this.callPrebound(row.id, onFinal));
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

  private async insert(
    tx: StubTx,
    c: { gameServiceId: string; parties: ContractParty[]; milestones: { code: string; name: string }[]; onFinal: PreboundCall | null; status: 'Active' | 'Proposed'; templateId: string | null },
  ): Promise<ContractInstance> {
    const milestones: ContractMilestone[] = c.milestones.map((m) => ({ code: m.code, name: m.name, isComplete: false }));
    const row: StubContract = await tx.stubContract.create({
      data: {
        id: randomUUID(),
        gameServiceId: c.gameServiceId,
        status: c.status,
        parties: JSON.stringify(c.parties),
        milestones: JSON.stringify(milestones),
        onFinal: JSON.stringify(c.onFinal),
        templateId: c.templateId,
        ...(c.templateId !== null && { consents: '[]' }),
      },
    });
    return toContract(row);
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

  private async callPrebound(contractId: string, onFinal: PreboundCall): Promise<void> {
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
