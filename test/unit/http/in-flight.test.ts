import { describe, expect, it } from 'vitest';
import { InFlight } from '../../../src/http/in-flight.js';

describe('InFlight', () => {
  it('drain_waitsForRunningHandlers_includingOnesThatFail', async () => {
    const f = new InFlight();
    let release!: () => void;
    const slow = f.run(() => new Promise<void>((r) => (release = r)));
    const failing = f.run(async () => {
      throw new Error('boom');
    }).catch(() => 'failed');
    expect(await failing).toBe('failed');
    expect(f.running).toBe(1);
    let drained = false;
    const drain = f.drain(5_000).then((ok) => (drained = ok));
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(false);
    release();
    await slow;
    await drain;
    expect(drained).toBe(true);
  });

  it('drain_givesUpAfterItsTimeout', async () => {
    const f = new InFlight();
    void f.run(() => new Promise(() => undefined));
    expect(await f.drain(30)).toBe(false);
    expect(await new InFlight().drain(30)).toBe(true);
  });
});
