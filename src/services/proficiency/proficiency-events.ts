import type { OutboxEventInput } from '../ports.js';
import type { ProficiencyKey } from './proficiency-model.js';

/** `craft.proficiency.gained`; payload per schemas/craft-events.yaml CraftProficiencyGainedEvent. */
export function proficiencyGainedEvent(
  key: ProficiencyKey,
  experienceAmount: number,
  eventId: string,
  timestamp: Date,
): OutboxEventInput {
  return {
    eventId,
    topic: 'proficiency.gained',
    payload: {
      eventName: 'craft.proficiency.gained',
      eventId,
      timestamp: timestamp.toISOString(),
      ...identity(key),
      experienceAmount,
    },
  };
}

/** `craft.proficiency.leveled`; payload per schemas/craft-events.yaml CraftProficiencyLeveledEvent. */
export function proficiencyLeveledEvent(
  key: ProficiencyKey,
  level: { newLevel: number; newPhase: string },
  eventId: string,
  timestamp: Date,
): OutboxEventInput {
  return {
    eventId,
    topic: 'proficiency.leveled',
    payload: {
      eventName: 'craft.proficiency.leveled',
      eventId,
      timestamp: timestamp.toISOString(),
      ...identity(key),
      newLevel: level.newLevel,
      newPhase: level.newPhase,
    },
  };
}

function identity(key: ProficiencyKey) {
  return {
    gameServiceId: key.gameServiceId,
    entityId: key.entityId,
    entityType: key.entityType,
    domain: key.domain,
  };
}
