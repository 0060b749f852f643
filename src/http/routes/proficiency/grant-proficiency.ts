import type { Route } from '../../route-types.js';

export const grantProficiency: Route<'grantProficiency'> = ({ proficiency }) => (body) =>
  proficiency.grant(body.gameServiceId, body, body.domain, body.amount);
