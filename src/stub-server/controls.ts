// Operator and test controls of the stub server: injected faults and added latency.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ClientError } from '../clients/errors.js';
import type { StubFaults } from '../clients/stubs/index.js';

export const ADMIN_FAULTS_PATH = '/stubs/admin/faults';
export const ADMIN_LATENCY_PATH = '/stubs/admin/latency';

/** A delay every matching WIRE call waits before it is handled (a slow neighbour). */
export class Latency {
  private ms = 0;
  private paths: ReadonlySet<string> | null = null;

  /** `ms` 0 turns it off; no `paths` = every WIRE route. */
  set(ms: number, paths?: string[]): void {
    this.ms = ms;
    this.paths = paths ? new Set(paths) : null;
  }

  async wait(path: string): Promise<void> {
    if (this.ms <= 0 || (this.paths && !this.paths.has(path))) return;
    await new Promise((resolve) => setTimeout(resolve, this.ms));
  }
}

const op = z.string().regex(/^[a-z][A-Za-z-]*\.[A-Za-z]+$/, 'must be <service>.<method>');
const faultCommand = z.union([
  z.strictObject({ reset: z.literal(true) }),
  z.strictObject({ disarm: op }),
  z.strictObject({
    op,
    every: z.number().int().min(1).optional(),
    times: z.number().int().min(1).optional(),
    phase: z.enum(['before', 'after']).optional(),
  }),
]);
const latencyCommand = z.strictObject({
  ms: z.number().int().min(0).max(600_000),
  paths: z.array(z.string().min(1)).optional(),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ClientError('stub-server', 'invalid', `invalid control body: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
  return parsed.data;
}

export function registerControls(app: FastifyInstance, controls: { faults: StubFaults; latency: Latency }): void {
  app.post(ADMIN_FAULTS_PATH, async (request) => {
    const command = parse(faultCommand, request.body);
    if ('reset' in command) controls.faults.disarm();
    else if ('disarm' in command) controls.faults.disarm(command.disarm);
    else controls.faults.arm(command.op, { every: command.every, times: command.times, phase: command.phase });
    request.log.warn({ command }, 'stub faults changed');
    return {};
  });
  app.post(ADMIN_LATENCY_PATH, async (request) => {
    const command = parse(latencyCommand, request.body);
    controls.latency.set(command.ms, command.paths);
    request.log.warn({ command }, 'stub latency changed');
    return {};
  });
}
