import type { components } from '../../generated/craft-api.js';

export type ProficiencyInfo = components['schemas']['ProficiencyInfo'];

/** Who holds a proficiency (an opaque entity type chosen by the game, e.g. `character`). */
export interface EntityRef {
  entityId: string;
  entityType: string;
}

/** One proficiency row: the entity's experience in a domain of a game service. */
export interface ProficiencyKey extends EntityRef {
  gameServiceId: string;
  domain: string;
}

export interface ProficiencyRecord extends ProficiencyKey {
  id: string;
  experience: number;
  /** Level and phase as last written; readers derive them from `experience` with the current config. */
  level: number;
  phase: string;
}
