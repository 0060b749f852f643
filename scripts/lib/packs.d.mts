// Types of packs.mjs for the TypeScript tests that load packs the way the loader does.
export const PACKS_DIR: string;
export interface Pack {
  name: string;
  title?: string;
  seed: string;
  description?: string;
  templates: { code: string; category: string; [k: string]: unknown }[];
  rulesets: { code: string; [k: string]: unknown }[];
  recipes: { code: string; [k: string]: unknown }[];
  affixes?: { code: string; [k: string]: unknown }[];
}
export interface Loaded {
  templates: { created: string[]; existing: string[]; skipped: boolean };
  affixes: { created: string[]; existing: string[]; skipped: boolean };
  rulesets: { code: string; version: number; rulesetId: string; result: 'created' | 'versioned' | 'unchanged' }[];
  recipes: { created: { code: string; recipeId: string }[]; skipped: string[] };
}
export function packNames(dir?: string): Promise<string[]>;
export function readPack(name: string, dir?: string): Promise<Pack>;
export function loadPack(input: { pack: Pack; gameServiceId: string; post: (path: string, body: unknown) => Promise<{ status: number; body: unknown }> }): Promise<Loaded>;
