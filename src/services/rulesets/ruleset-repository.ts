import type { Tx } from '../ports.js';
import type { RulesetInfo, RulesetListFilter } from './ruleset-model.js';

/** Every database call about rulesets. Methods taking `tx` run inside the caller's transaction. */
export interface RulesetRepository {
  findById(id: string): Promise<RulesetInfo | null>;
  /** The version named, else the latest. */
  find(gameServiceId: string, code: string, version?: number | null): Promise<RulesetInfo | null>;
  /** The latest version of each code, by code. */
  listLatest(filter: RulesetListFilter): Promise<{ items: RulesetInfo[]; totalCount: number }>;
  /** The latest versions of these codes, locked until the transaction ends (versions are added under it). */
  latestForUpdate(tx: Tx, gameServiceId: string, codes: string[]): Promise<Map<string, RulesetInfo>>;
  /** Throws RULESET_CODE_EXISTS when the (game service, code, version) is taken. */
  insert(tx: Tx, ruleset: RulesetInfo): Promise<void>;
  /** Marks every version of the code deprecated (those not yet); the number changed. */
  deprecate(tx: Tx, gameServiceId: string, code: string, at: Date, reason: string | null): Promise<number>;
}
