import type { Route } from '../../route-types.js';

export const terminateContract: Route<'terminateContract'> = ({ standalone }) => (body) =>
  standalone.terminateContract(body.contractId, body.reason);
