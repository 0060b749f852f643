// The contract stub's types and options, its row <-> interface mapping and its input checks
// (stub_contract, stub_contract_template).
import type { StubContract, StubContractTemplate } from '../../generated/prisma/client.js';
import type { ContractInstance, ContractMilestone, ContractParty, ContractStatus } from '../contract-client.js';
import { ClientError } from '../errors.js';
import { parseJson, requireNonEmpty, type StubTx } from './stub-calls.js';

export const SERVICE = 'contract';

/** The synthetic second party the stub adds when the caller names only one. */
export { SYSTEM_PARTY } from '../contract-client.js';

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

/** The call a contract makes when its last milestone completes (the prebound API). */
export interface PreboundCall {
  path: string;
  body: Record<string, unknown>;
}

export interface ContractTemplateMilestone {
  code: string;
  name: string;
  /** Only on the last milestone: it becomes the contract's prebound call. */
  onComplete?: PreboundCall;
}

/** A template of the real contract service: what `instance/create` makes contracts from. */
export interface ContractTemplate {
  templateId: string;
  gameServiceId: string;
  code: string;
  minParties: number;
  milestones: ContractTemplateMilestone[];
  /** ISO 8601. */
  createdAt: string;
}

export function toContract(r: StubContract): ContractInstance {
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

export function toTemplate(r: StubContractTemplate): ContractTemplate {
  return {
    templateId: r.id,
    gameServiceId: r.gameServiceId,
    code: r.code,
    minParties: r.minParties,
    milestones: parseJson<ContractTemplateMilestone[]>(r.milestones, []),
    createdAt: r.createdAt.toISOString(),
  };
}

/** The stored prebound call; null for a template's contract whose last milestone has none. */
export function onFinalOf(r: StubContract): PreboundCall | null {
  const call = parseJson<PreboundCall | null>(r.onFinal, null);
  return call && typeof call.path === 'string' && call.path !== '' ? call : null;
}

/** `entityType:entityId`, how consents are recorded. */
export const partyKey = (p: { entityType: string; entityId: string }) => `${p.entityType}:${p.entityId}`;

/** Locks a contract of the game service (another game service's is `not_found`) and returns it. */
export async function lockContract(tx: StubTx, contractId: string, gameServiceId: string): Promise<StubContract> {
  await tx.$queryRaw`SELECT id FROM stub_contract WHERE id = ${contractId} FOR UPDATE`;
  const row = await tx.stubContract.findUnique({ where: { id: contractId } });
  if (!row || row.gameServiceId !== gameServiceId) throw new ClientError(SERVICE, 'not_found', `contract ${contractId} not found`);
  return row;
}

export function validParties(parties: unknown): ContractParty[] {
  if (!Array.isArray(parties) || parties.length === 0) {
    throw new ClientError(SERVICE, 'invalid', 'a contract needs at least one party');
  }
  return (parties as Partial<ContractParty>[]).map((p) => ({
    entityId: requireNonEmpty(SERVICE, 'party entityId', p?.entityId, 100),
    entityType: requireNonEmpty(SERVICE, 'party entityType', p?.entityType, 100),
    role: requireNonEmpty(SERVICE, 'party role', p?.role, 100),
  }));
}

export function validPrebound(call: unknown, what: string): PreboundCall {
  const c = call as Partial<PreboundCall> | null | undefined;
  requireNonEmpty(SERVICE, `${what}.path`, c?.path, 500);
  if (typeof c!.body !== 'object' || c!.body === null || Array.isArray(c!.body)) {
    throw new ClientError(SERVICE, 'invalid', `${what}.body must be an object`);
  }
  return { path: c!.path!, body: c!.body };
}

/** Milestones of a template: unique codes, onComplete only on the last one. */
export function validTemplateMilestones(milestones: unknown): ContractTemplateMilestone[] {
  if (!Array.isArray(milestones) || milestones.length === 0) {
    throw new ClientError(SERVICE, 'invalid', 'at least one milestone is required');
  }
  const list = milestones as Partial<ContractTemplateMilestone>[];
  const out = list.map((m, i): ContractTemplateMilestone => {
    const code = requireNonEmpty(SERVICE, 'milestone code', m?.code);
    const name = typeof m?.name === 'string' && m.name !== '' ? m.name : code;
    if (m?.onComplete === undefined || m.onComplete === null) return { code, name };
    if (i !== list.length - 1) {
      throw new ClientError(SERVICE, 'invalid', `milestone "${code}": only the last milestone may carry onComplete`);
    }
    return { code, name, onComplete: validPrebound(m.onComplete, `milestone "${code}" onComplete`) };
  });
  if (new Set(out.map((m) => m.code)).size !== out.length) {
    throw new ClientError(SERVICE, 'invalid', 'milestone codes must be unique');
  }
  return out;
}

export function validMinParties(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 2 || value > 100) {
    throw new ClientError(SERVICE, 'invalid', `minParties must be an integer from 2 to 100, got ${String(value)}`);
  }
  return value;
}
