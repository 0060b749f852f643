import type { Route } from '../../route-types.js';

export const grantProficiency: Route<'grantProficiency'> = ({ proficiency }) => (body, { scope }) =>
  proficiency.grant(scope, body.gameServiceId, body, body.domain, body.amount);
