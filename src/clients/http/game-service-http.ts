import type { GameServiceInfo, GameServiceRegistry } from '../game-service-client.js';
import type { HttpTransport } from './transport.js';
import { WIRE } from './wire.js';

const P = WIRE.gameService;

/** The game-service service over HTTP; register and list are its admin calls (standalone dev endpoints). */
export class GameServiceHttpClient implements GameServiceRegistry {
  constructor(private readonly t: HttpTransport) {}

  get(query: { serviceId?: string; stubName?: string }) {
    return this.t.call<GameServiceInfo | null>(P.get, query, { retryable: true, nullOn404: true });
  }

  register(input: { stubName: string; displayName: string }) {
    return this.t.call<GameServiceInfo>(P.create, input, { retryable: false });
  }

  async list() {
    return (await this.t.call<{ services: GameServiceInfo[] }>(P.list, {}, { retryable: true })).services;
  }
}
