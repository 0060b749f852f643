import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgeIronSword } from '../../helpers/fixtures.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { ok } from '../../helpers/world.js';

/** `npm run events`: lifecycle events printed as they are published, filtered by subject and game service. */
const SCRIPT = fileURLToPath(new URL('../../../scripts/events.mjs', import.meta.url));

let h: Harness;
const children: ChildProcessWithoutNullStreams[] = [];
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  for (const c of children) c.kill('SIGINT');
  await h.close();
});

/** Starts the script and collects its stdout lines; resolves once it says it is listening. */
async function watch(args: string[]) {
  const child = spawn(process.execPath, [SCRIPT, ...args], {
    env: { ...process.env, NATS_URL: h.config.natsUrl, CRAFT_EVENT_SUBJECT_PREFIX: h.config.eventSubjectPrefix, CRAFT_NATS_STREAM: h.config.natsStream },
  });
  children.push(child);
  const lines: string[] = [];
  child.stdout.on('data', (chunk) => lines.push(...String(chunk).split('\n').filter(Boolean)));
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (chunk) => String(chunk).includes('Ctrl-C stops') && resolve());
    child.on('exit', (code) => reject(new Error(`events script exited with ${code}`)));
  });
  return {
    lines,
    /** The lines once `done` holds (polling; the relay publishes within the outbox poll interval). */
    until: async (done: (lines: string[]) => boolean) => {
      for (let i = 0; i < 100 && !done(lines); i++) await new Promise((r) => setTimeout(r, 100));
      return lines;
    },
  };
}

describe('npm run events', () => {
  it('printsEventsAsPublished_onlyTheSubjectAndGameServiceAskedFor', async () => {
    const [gs, other] = [await h.gameService(), await h.gameService()];
    const created = await watch(['--json', '--game-service', gs, 'recipe.created']);
    const everything = await watch([]);
    await ok(h, '/craft/recipe/create', forgeIronSword(other, { code: 'not_this_one' }));
    await ok(h, '/craft/recipe/create', forgeIronSword(gs));
    await ok(h, '/craft/recipe/deprecate', { recipeId: (await ok(h, '/craft/recipe/get', { gameServiceId: gs, code: 'forge_iron_sword' })).recipe.recipeId });

    const lines = await created.until((l) => l.length >= 1);
    const printed = lines.map((l) => JSON.parse(l) as { subject: string; payload: { code: string; gameServiceId: string } });
    expect(printed.map((p) => [p.subject, p.payload.code, p.payload.gameServiceId])).toEqual([
      [`${h.config.eventSubjectPrefix}.recipe.created`, 'forge_iron_sword', gs],
    ]);
    const all = await everything.until((l) => l.some((x) => x.includes('recipe.deprecated')));
    expect(all.filter((l) => / recipe\.(created|deprecated) /.test(l)).length).toBeGreaterThanOrEqual(3);
    expect(all.find((l) => l.includes('recipe.deprecated'))).toMatch(/^\d{4}-\d\d-\d\dT.*Z {2}recipe\.deprecated {2}\{.*"code":"forge_iron_sword"/);
  });

  it('all_replaysTheStoredEventsFirst', async () => {
    const gs = await h.gameService();
    await ok(h, '/craft/recipe/create', forgeIronSword(gs, { code: 'stored_before' }));
    await h.runtime.internals.relay.flush();
    const replay = await watch(['--all', '--json', '--game-service', gs]);
    const lines = await replay.until((l) => l.length >= 1);
    expect(lines.map((l) => JSON.parse(l).payload.code)).toEqual(['stored_before']);
  });
});
