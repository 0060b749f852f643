/**
 * contract: a session is backed by a contract instance whose milestones are the
 * recipe's steps; completing the final milestone calls `/craft/internal/complete-session`.
 */
export interface ContractParty {
  entityId: string;
  entityType: string;
  role: string;
}

/** The synthetic second party a contract gets when the caller names only one (the real service needs two). */
export const SYSTEM_PARTY: ContractParty = {
  entityId: '00000000-0000-0000-0000-000000000000',
  entityType: 'system',
  role: 'system',
};

export type ContractStatus = 'Proposed' | 'Active' | 'Fulfilled' | 'Terminated';

export interface ContractMilestone {
  code: string;
  name: string;
  isComplete: boolean;
}

export interface ContractInstance {
  contractId: string;
  /** The game service the contract belongs to (the session's). */
  gameServiceId: string;
  status: ContractStatus;
  parties: ContractParty[];
  milestones: ContractMilestone[];
  terminationReason: string | null;
  /** ISO 8601. */
  createdAt: string;
  updatedAt: string;
}

/** Every call names the game service it acts in: another game service's contract is unknown. */
export interface ContractClient {
  /**
   * Creates an Active contract. The real service needs a template, a proposal and every
   * party's consent (its client does that); with one party given, a system party is added.
   */
  createInstance(
    input: {
      gameServiceId: string;
      parties: ContractParty[];
      milestones: { code: string; name: string }[];
      /** Called when the final milestone completes (prebound API). */
      onFinalMilestone: { path: string; body: Record<string, unknown> };
    },
    idempotencyKey: string,
  ): Promise<ContractInstance>;
  getInstance(contractId: string, gameServiceId: string): Promise<ContractInstance | null>;
  /**
   * Marks a milestone complete (completing it again is a no-op). Unknown code: `invalid`;
   * terminated contract: `conflict`. When every milestone is complete the contract is
   * Fulfilled and the prebound API is called once.
   */
  completeMilestone(input: { contractId: string; gameServiceId: string; milestoneCode: string }, idempotencyKey: string): Promise<ContractInstance>;
  /**
   * Terminates an Active contract and publishes `contract.terminated`. A contract already
   * Terminated or Fulfilled is left as it is (and returned).
   */
  terminate(
    input: { contractId: string; gameServiceId: string; reason: string; terminatedByEntityId?: string; terminatedByEntityType?: string },
    idempotencyKey: string,
  ): Promise<ContractInstance>;
}
