/**
 * contract: a session is backed by a contract instance whose milestones are the
 * recipe's steps; completing the final milestone calls `/craft/internal/complete-session`.
 */
export interface ContractParty {
  entityId: string;
  entityType: string;
  role: string;
}

export interface ContractInstance {
  contractId: string;
  status: 'Proposed' | 'Active' | 'Fulfilled' | 'Terminated';
  parties: ContractParty[];
  milestones: { code: string; isComplete: boolean }[];
}

export interface ContractClient {
  createInstance(
    input: {
      parties: ContractParty[];
      milestones: { code: string; name: string }[];
      /** Called when the final milestone completes (prebound API). */
      onFinalMilestone: { path: string; body: Record<string, unknown> };
    },
    idempotencyKey: string,
  ): Promise<ContractInstance>;
  getInstance(contractId: string): Promise<ContractInstance | null>;
  completeMilestone(input: { contractId: string; milestoneCode: string }, idempotencyKey: string): Promise<void>;
  terminate(input: { contractId: string; reason: string }, idempotencyKey: string): Promise<void>;
}
