import type { Route } from '../../route-types.js';

export const estimateQuality: Route<'estimateQuality'> = ({ queries }) => (body, { scope }) => queries.estimateQuality(scope, body);
