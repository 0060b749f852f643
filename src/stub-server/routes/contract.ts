import { z } from 'zod';
import type { StubServices } from '../../clients/stubs/index.js';
import { call, found, id, int, keyed, object, text, type Handlers } from '../wire-route.js';

const party = z.looseObject({ entityId: text, entityType: text, role: text });
const milestone = z.looseObject({ code: text, name: text, onComplete: z.looseObject({ path: text, body: object }).optional() });
const ref = { contractId: id, gameServiceId: id };

export function contractRoutes(s: StubServices): Handlers<'contract'> {
  const contract = s.contract;
  return {
    createTemplate: keyed({ gameServiceId: id, code: text, minParties: int, milestones: z.array(milestone).max(1000) }, (input, key) =>
      contract.createTemplate(input, key),
    ),
    createInstance: keyed({ templateId: id, gameServiceId: id, parties: z.array(party).max(1000) }, (input, key) =>
      contract.createFromTemplate(input, key),
    ),
    propose: keyed(ref, (input, key) => contract.propose(input, key)),
    consent: keyed({ ...ref, entityId: text, entityType: text }, (input, key) => contract.consent(input, key)),
    getInstance: call(ref, async ({ contractId, gameServiceId }) =>
      found('contract', `contract ${contractId}`, await contract.getInstance(contractId, gameServiceId)),
    ),
    completeMilestone: keyed({ ...ref, milestoneCode: text }, (input, key) => contract.completeMilestone(input, key)),
    terminate: keyed(
      { ...ref, reason: text, terminatedByEntityId: text.optional(), terminatedByEntityType: text.optional() },
      (input, key) => contract.terminate(input, key),
    ),
  };
}
