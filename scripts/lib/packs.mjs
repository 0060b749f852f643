// Packs (packs/<name>/pack.json): a game's crafting design as data — item templates, rulesets
// and recipes — and how to load one into lib-craft over its HTTP API. Used by the one-command
// loader (scripts/load-pack.mjs) and by the packs' end-to-end tests.
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const PACKS_DIR = fileURLToPath(new URL('../../packs/', import.meta.url));

/** The names of the packs in packs/ (each a folder with a pack.json). */
export async function packNames(dir = PACKS_DIR) {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = [];
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    try {
      await readFile(path.join(dir, e.name, 'pack.json'));
      names.push(e.name);
    } catch {
      // not a pack
    }
  }
  return names.sort();
}

/** A pack with its ruleset files read: { name, seed, description, templates, rulesets, recipes }. */
export async function readPack(name, dir = PACKS_DIR) {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`"${name}" is not a pack name`);
  const root = path.join(dir, name);
  const pack = JSON.parse(await readFile(path.join(root, 'pack.json'), 'utf8'));
  const rulesets = [];
  for (const file of pack.rulesets ?? []) rulesets.push(JSON.parse(await readFile(path.join(root, file), 'utf8')));
  return { ...pack, name: pack.name ?? name, rulesets, templates: pack.templates ?? [], recipes: pack.recipes ?? [] };
}

/**
 * Loads a pack into a game service: its item templates (through the standalone item service;
 * an existing code is kept), its affix definitions (likewise), then its rulesets and recipes in one recipe/seed (a new ruleset
 * is created, a changed one becomes the next version, an existing recipe code is kept).
 * `post(path, body)` answers { status, body }. Returns what was done.
 */
export async function loadPack({ pack, gameServiceId, post }) {
  const templates = { created: [], existing: [], skipped: false };
  for (const t of pack.templates) {
    const res = await post('/dev/item/template/create', { gameServiceId, ...t });
    if (res.status === 200) templates.created.push(t.code);
    else if (res.status === 409) templates.existing.push(t.code);
    else if (res.status === 404 && templates.created.length === 0) {
      // Not standalone: the templates live in the game's item service, which must have them.
      templates.skipped = true;
      break;
    } else throw new Error(`item template ${t.code}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  // Affix definitions (modification packs), through the standalone affix service; an existing code is kept.
  const affixes = { created: [], existing: [], skipped: templates.skipped };
  for (const a of templates.skipped ? [] : (pack.affixes ?? [])) {
    const res = await post('/dev/affix/definition/create', { gameServiceId, ...a });
    if (res.status === 200) affixes.created.push(a.code);
    else if (res.status === 409) affixes.existing.push(a.code);
    else throw new Error(`affix definition ${a.code}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  const seeded = await post('/craft/recipe/seed', { gameServiceId, rulesets: pack.rulesets, recipes: pack.recipes });
  if (seeded.status !== 200) throw new Error(`recipe/seed: ${seeded.status} ${JSON.stringify(seeded.body, null, 2)}`);
  return { templates, affixes, rulesets: seeded.body.rulesets ?? [], recipes: { created: seeded.body.created, skipped: seeded.body.skipped } };
}
