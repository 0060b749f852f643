import { CraftError } from '../../domain/errors.js';
import type { OperationId } from '../route-types.js';

/** Operations a later milestone delivers answer 501 with a clear body until then. */
export function notImplemented(operationId: OperationId) {
  return async (): Promise<never> => {
    throw new CraftError('NOT_IMPLEMENTED', `${operationId} is specified but not implemented yet`, { operationId });
  };
}
