/** How a client reports a failed call, whatever the transport. */
export type ClientErrorKind = 'not_found' | 'conflict' | 'insufficient_funds' | 'invalid' | 'unavailable';

export class ClientError extends Error {
  constructor(
    readonly service: string,
    readonly kind: ClientErrorKind,
    message: string,
  ) {
    super(`${service}: ${message}`);
    this.name = 'ClientError';
  }
}
