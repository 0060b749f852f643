import { createHash } from 'node:crypto';
import { SYSTEM_PARTY, type ContractClient, type ContractInstance, type ContractParty } from '../contract-client.js';
import type { HttpTransport } from './transport.js';
import { WIRE } from './wire.js';

const P = WIRE.contract;
/** A party's part of a consent key: short whatever the party's ids (keys are bounded). */
const partyKey = (p: ContractParty) => createHash('sha256').update(`${p.entityType}\n${p.entityId}`).digest('hex').slice(0, 24);
const keyed = { retryable: true };

/**
 * The contract service over HTTP. Its real API makes a contract in four moves: a template
 * (at least two parties; the final milestone carries the prebound call), an instance of it
 * (Proposed), the proposal, and every party's consent (then Active). createInstance makes
 * all four, each with a key derived from the caller's, so a retried start replays the moves
 * already made and finishes the rest; a lone party gets the system party as its second.
 */
export class ContractHttpClient implements ContractClient {
  constructor(private readonly t: HttpTransport) {}

  async createInstance(
    input: {
      gameServiceId: string;
      parties: ContractParty[];
      milestones: { code: string; name: string }[];
      onFinalMilestone: { path: string; body: Record<string, unknown> };
    },
    idempotencyKey: string,
  ): Promise<ContractInstance> {
    const { gameServiceId } = input;
    const last = input.milestones.length - 1;
    const template = await this.t.call<{ templateId: string }>(
      P.createTemplate,
      {
        gameServiceId,
        code: idempotencyKey,
        minParties: 2,
        milestones: input.milestones.map((m, i) => ({ code: m.code, name: m.name, ...(i === last && { onComplete: input.onFinalMilestone }) })),
        idempotencyKey: `${idempotencyKey}:template`,
      },
      keyed,
    );
    const parties = input.parties.length === 1 ? [...input.parties, SYSTEM_PARTY] : input.parties;
    let contract = await this.t.call<ContractInstance>(
      P.createInstance,
      { templateId: template.templateId, gameServiceId, parties, idempotencyKey: `${idempotencyKey}:instance` },
      keyed,
    );
    const { contractId } = contract;
    contract = await this.t.call<ContractInstance>(P.propose, { contractId, gameServiceId, idempotencyKey: `${idempotencyKey}:propose` }, keyed);
    for (const party of parties) {
      contract = await this.t.call<ContractInstance>(
        P.consent,
        { contractId, gameServiceId, entityId: party.entityId, entityType: party.entityType, idempotencyKey: `${idempotencyKey}:consent:${partyKey(party)}` },
        keyed,
      );
    }
    return contract;
  }

  getInstance(contractId: string, gameServiceId: string) {
    return this.t.call<ContractInstance | null>(P.getInstance, { contractId, gameServiceId }, { retryable: true, nullOn404: true });
  }

  completeMilestone(input: { contractId: string; gameServiceId: string; milestoneCode: string }, idempotencyKey: string) {
    return this.t.call<ContractInstance>(P.completeMilestone, { ...input, idempotencyKey }, keyed);
  }

  terminate(
    input: { contractId: string; gameServiceId: string; reason: string; terminatedByEntityId?: string; terminatedByEntityType?: string },
    idempotencyKey: string,
  ) {
    return this.t.call<ContractInstance>(P.terminate, { ...input, idempotencyKey }, keyed);
  }
}
