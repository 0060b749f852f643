import type { Route } from '../../route-types.js';

export const terminateContract: Route<'terminateContract'> = ({ standalone }) => (body, { scope }) => standalone.terminateContract(scope, body);
