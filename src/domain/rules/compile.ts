import { compileExpr, escapePointer, type Compiled, type ExprProblem } from './expr.js';
import type { MaterialsDef } from './materials.js';
import type { ActionDef, BandDef, Effect, LossRange, Modifier, RulesetDefinition } from './ruleset.js';

/**
 * Validates a ruleset and compiles its expressions once (per ruleset version). Problems carry
 * the JSON pointer of each, from the ruleset's root: unknown pool, action, buff or condition
 * names, cycles of forced conditions, expressions with operators outside the allowed set or
 * too deep, duplicate names, bands out of order.
 */

export type RuleProblem = ExprProblem;

export interface CompiledEffect {
  op: Effect['op'];
  pool?: string;
  /** `gain.<pool>`, precomputed for add. */
  gainTarget?: string;
  buff?: string;
  amount?: Compiled;
  stacks?: Compiled;
  turns?: Compiled;
  reason?: string;
}

export interface CompiledModifier {
  target: string;
  mul: Compiled | null;
  add: Compiled | null;
}

export interface CompiledAction {
  def: ActionDef;
  code: string;
  requires: Compiled | null;
  /** Pool, amount, and the modifier target of its cost (`cost.<pool>`). */
  costs: [string, Compiled, string][];
  chance: Compiled | null;
  score: Compiled | null;
  onSuccess: CompiledEffect[];
  onFailure: CompiledEffect[];
  finishes: boolean;
  /** `chance.<code>`, precomputed. */
  chanceTarget: string;
  /** The costs of a turn played in place (engine.ts checkInPlace): one record reused, same keys every turn. */
  scratchCosts: Record<string, number>;
  /** The buffs this action consumes (their `consumedBy` names it), in declaration order. */
  consumes: string[];
}

export interface CompiledBuff {
  code: string;
  maxStacks: number;
  turns: number | null;
  modifiers: CompiledModifier[];
  tick: CompiledEffect[];
  consumedBy: Set<string>;
}

export interface CompiledLoss {
  min: Compiled;
  max: Compiled | null;
}

export interface CompiledRuleset {
  def: RulesetDefinition;
  stats: NonNullable<RulesetDefinition['stats']>;
  pools: { name: string; start: Compiled; min: Compiled | null; max: Compiled | null }[];
  actions: Map<string, CompiledAction>;
  actionCodes: string[];
  buffs: Map<string, CompiledBuff>;
  conditions: { initial: string; codes: string[]; weights: number[]; totalWeight: number; next: Map<string, string>; modifiers: Map<string, CompiledModifier[]> } | null;
  /**
   * Every modifier by its target, buffs' (declaration order) then conditions': what changes a
   * value is looked up once per target instead of walking every active buff.
   */
  modifiersByTarget: Map<string, { buff: string | null; condition: string | null; m: CompiledModifier }[]>;
  end: { success: Compiled | null; failure: Compiled | null; maxTurns: number | null; timeLimitSeconds: number | null; onTimeout: 'finish' | 'fail' };
  outcome: {
    mode: 'bands' | 'allOrNothing';
    score: Compiled;
    bands: BandDef[];
    bandLoss: (CompiledLoss | null)[];
    success: Compiled | null;
    failureLoss: CompiledLoss | null;
    failLoss: CompiledLoss | null;
    quality: Compiled | null;
    grades: { value: Compiled; names: { min: number; name: string }[] } | null;
    breakpoints: { min: number; traits: string[] }[];
    outputMultiplier: Compiled | null;
    attributes: [string, Compiled][];
    breaksTarget: Compiled | null;
    variants: { when: Compiled; itemTemplateCode: string; output: number }[];
  };
  attempts: { max: number; loss: CompiledLoss | null; firstTry: { chance: Compiled; traits: string[] } | null };
  trial: { allowed: Compiled; experienceMultiplier: number } | null;
  start: { requires: Compiled; reason: string } | null;
  rareEvents: { code: string; chance: Compiled; traits: string[]; grade: string | null; outputMultiplier: number | null }[];
  /** What the materials give the outputs (materials.ts). */
  materials: {
    rarity: (NonNullable<MaterialsDef['rarity']> & { valueFn: Compiled | null }) | null;
    tagTraits: NonNullable<MaterialsDef['tagTraits']>;
    inherit: MaterialsDef['inherit'] | null;
  };
}

/** First segments of the variables an expression may read (see docs/rules.md, "Context"). */
const ROOTS = new Set([
  'stats',
  'params',
  'recipe',
  'crafter',
  'materials',
  'tool',
  'station',
  'pools',
  'buffs',
  'condition',
  'turn',
  'attempt',
  'performance',
  'roll',
  'score',
  'stacks',
  'trial',
  'outcome',
]);

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export function compileRuleset(def: RulesetDefinition): { ruleset: CompiledRuleset | null; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const problem = (path: string, code: string, message: string) => problems.push({ path, code, message });

  const names = <T>(list: T[] | undefined, key: (t: T) => string, at: string, what: string) => {
    const seen = new Set<string>();
    (list ?? []).forEach((item, i) => {
      const name = key(item);
      if (typeof name !== 'string' || !NAME.test(name)) problem(`${at}/${i}`, 'NAME_INVALID', `a ${what} name is 1-64 letters, digits or _, starting with a letter`);
      else if (seen.has(name)) problem(`${at}/${i}`, 'NAME_DUPLICATE', `${what} "${name}" is declared twice`);
      seen.add(name);
    });
    return seen;
  };
  const stats = names(def.stats, (s) => s.name, '/stats', 'stat');
  const params = new Set(Object.keys(def.params ?? {}));
  for (const p of params) if (!NAME.test(p)) problem(`/params/${escapePointer(p)}`, 'NAME_INVALID', 'a param name is 1-64 letters, digits or _');
  const pools = names(def.pools, (p) => p.name, '/pools', 'pool');
  const actions = names(def.actions, (a) => a.code, '/actions', 'action');
  const buffs = names(def.buffs, (b) => b.code, '/buffs', 'buff');
  const conditions = names(def.conditions?.states, (c) => c.code, '/conditions/states', 'condition');
  if ((def.pools ?? []).length === 0) problem('/pools', 'POOLS_REQUIRED', 'a ruleset needs at least one pool');
  if ((def.actions ?? []).length === 0) problem('/actions', 'ACTIONS_REQUIRED', 'a ruleset needs at least one action');

  const knownVar = (path: string) => {
    const [root, second] = path.split('.');
    if (!root || !ROOTS.has(root)) return false;
    if (second === undefined) return !['stats', 'params', 'pools', 'buffs'].includes(root);
    if (root === 'stats') return stats.has(second);
    if (root === 'params') return params.has(second);
    if (root === 'pools') return pools.has(second);
    if (root === 'buffs') return buffs.has(second);
    return true;
  };
  const expr = (e: unknown, at: string): Compiled => {
    const { fn, problems: p } = compileExpr(e, at, { knownVar });
    problems.push(...p);
    return fn ?? (() => 0);
  };
  const optional = (e: unknown, at: string) => (e === undefined || e === null ? null : expr(e, at));
  const loss = (l: LossRange | undefined, at: string): CompiledLoss | null =>
    l ? { min: expr(l.min, `${at}/min`), max: l.max === undefined ? null : expr(l.max, `${at}/max`) } : null;

  const effects = (list: Effect[] | undefined, at: string): CompiledEffect[] =>
    (list ?? []).map((e, i) => {
      const here = `${at}/${i}`;
      switch (e?.op) {
        case 'add':
        case 'set':
          if (!pools.has(e.pool)) problem(`${here}/pool`, 'UNKNOWN_POOL', `unknown pool "${e.pool}"`);
          return { op: e.op, pool: e.pool, amount: expr(e.amount, `${here}/amount`), ...(e.op === 'add' && { gainTarget: `gain.${e.pool}` }) };
        case 'buff':
          if (!buffs.has(e.buff)) problem(`${here}/buff`, 'UNKNOWN_BUFF', `unknown buff "${e.buff}"`);
          return {
            op: 'buff',
            buff: e.buff,
            stacks: e.stacks === undefined ? undefined : expr(e.stacks, `${here}/stacks`),
            turns: e.turns === undefined ? undefined : expr(e.turns, `${here}/turns`),
          };
        case 'removeBuff':
          if (!buffs.has(e.buff)) problem(`${here}/buff`, 'UNKNOWN_BUFF', `unknown buff "${e.buff}"`);
          return { op: 'removeBuff', buff: e.buff };
        case 'finish':
          return { op: 'finish' };
        case 'fail':
          return { op: 'fail', reason: typeof e.reason === 'string' ? e.reason.slice(0, 200) : 'failed' };
        default:
          problem(`${here}/op`, 'UNKNOWN_EFFECT', `unknown effect "${String((e as { op?: unknown })?.op)}" (add, set, buff, removeBuff, finish, fail)`);
          return { op: 'fail', reason: 'invalid' };
      }
    });
  const modifiers = (list: Modifier[] | undefined, at: string): CompiledModifier[] =>
    (list ?? []).map((m, i) => {
      const here = `${at}/${i}`;
      const [kind, name] = String(m?.target ?? '').split('.');
      if ((kind === 'gain' || kind === 'cost') && name !== undefined) {
        if (!pools.has(name)) problem(`${here}/target`, 'UNKNOWN_POOL', `unknown pool "${name}" in target "${m.target}"`);
      } else if (kind === 'chance') {
        if (name !== undefined && !actions.has(name)) problem(`${here}/target`, 'UNKNOWN_ACTION', `unknown action "${name}" in target "${m.target}"`);
      } else {
        problem(`${here}/target`, 'TARGET_INVALID', 'a modifier target is gain.<pool>, cost.<pool>, chance or chance.<action>');
      }
      return { target: m.target, mul: optional(m.mul, `${here}/mul`), add: optional(m.add, `${here}/add`) };
    });

  const compiledPools = (def.pools ?? []).map((p, i) => ({
    name: p.name,
    start: expr(p.start, `/pools/${i}/start`),
    min: optional(p.min, `/pools/${i}/min`),
    max: optional(p.max, `/pools/${i}/max`),
  }));

  const compiledActions = new Map<string, CompiledAction>();
  (def.actions ?? []).forEach((a, i) => {
    const at = `/actions/${i}`;
    const costs: [string, Compiled, string][] = Object.entries(a.costs ?? {}).map(([pool, amount]) => {
      if (!pools.has(pool)) problem(`${at}/costs/${escapePointer(pool)}`, 'UNKNOWN_POOL', `unknown pool "${pool}"`);
      return [pool, expr(amount, `${at}/costs/${escapePointer(pool)}`), `cost.${pool}`];
    });
    if (a.charges) {
      if (!(Number.isInteger(a.charges.max) && a.charges.max >= 1)) problem(`${at}/charges/max`, 'CHARGES_INVALID', 'max is a whole number >= 1');
      if (a.charges.per === 'period' && !(typeof a.charges.periodSeconds === 'number' && a.charges.periodSeconds >= 1)) {
        problem(`${at}/charges/periodSeconds`, 'CHARGES_INVALID', 'a per-period charge needs periodSeconds >= 1');
      }
    }
    if (a.consumable && !a.consumable.category && !a.consumable.itemTemplateCode) {
      problem(`${at}/consumable`, 'CONSUMABLE_INVALID', 'a consumable names a category or an itemTemplateCode');
    }
    const onSuccess = effects(a.onSuccess, `${at}/onSuccess`);
    const onFailure = effects(a.onFailure, `${at}/onFailure`);
    compiledActions.set(a.code, {
      def: a,
      code: a.code,
      requires: optional(a.requires, `${at}/requires`),
      costs,
      chance: optional(a.chance, `${at}/chance`),
      score: optional(a.score, `${at}/score`),
      onSuccess,
      onFailure,
      finishes: [...onSuccess, ...onFailure].some((e) => e.op === 'finish'),
      chanceTarget: `chance.${a.code}`,
      scratchCosts: Object.fromEntries(costs.map(([pool]) => [pool, 0])),
      consumes: [],
    });
  });

  const compiledBuffs = new Map<string, CompiledBuff>();
  (def.buffs ?? []).forEach((b, i) => {
    const at = `/buffs/${i}`;
    (b.consumedBy ?? []).forEach((code, j) => {
      if (!actions.has(code)) problem(`${at}/consumedBy/${j}`, 'UNKNOWN_ACTION', `unknown action "${code}"`);
    });
    if (b.maxStacks !== undefined && !(Number.isInteger(b.maxStacks) && b.maxStacks >= 1)) problem(`${at}/maxStacks`, 'BUFF_INVALID', 'maxStacks is a whole number >= 1');
    if (b.turns !== undefined && !(Number.isInteger(b.turns) && b.turns >= 1)) problem(`${at}/turns`, 'BUFF_INVALID', 'turns is a whole number >= 1');
    compiledBuffs.set(b.code, {
      code: b.code,
      maxStacks: b.maxStacks ?? 1,
      turns: b.turns ?? null,
      modifiers: modifiers(b.modifiers, `${at}/modifiers`),
      tick: effects(b.tick, `${at}/tick`),
      consumedBy: new Set(b.consumedBy ?? []),
    });
    for (const code of new Set(b.consumedBy ?? [])) compiledActions.get(code)?.consumes.push(b.code);
  });

  let compiledConditions: CompiledRuleset['conditions'] = null;
  if (def.conditions) {
    const c = def.conditions;
    if (!conditions.has(c.initial)) problem('/conditions/initial', 'UNKNOWN_CONDITION', `unknown condition "${c.initial}"`);
    const next = new Map<string, string>();
    c.states.forEach((s, i) => {
      if (!(typeof s.weight === 'number' && s.weight >= 0)) problem(`/conditions/states/${i}/weight`, 'WEIGHT_INVALID', 'a weight is a number >= 0');
      if (s.next !== undefined) {
        if (!conditions.has(s.next)) problem(`/conditions/states/${i}/next`, 'UNKNOWN_CONDITION', `unknown condition "${s.next}"`);
        else next.set(s.code, s.next);
      }
    });
    if (!c.states.some((s) => s.weight > 0)) problem('/conditions/states', 'WEIGHT_INVALID', 'at least one condition needs a weight above 0');
    // A chain of forced successors must end in a condition that is rolled, not loop forever.
    c.states.forEach((s, i) => {
      const seen = new Set<string>([s.code]);
      for (let at = next.get(s.code); at !== undefined; at = next.get(at)) {
        if (seen.has(at)) {
          problem(`/conditions/states/${i}/next`, 'CONDITION_CYCLE', `forced conditions loop: ${[...seen, at].join(' -> ')}`);
          break;
        }
        seen.add(at);
      }
    });
    compiledConditions = {
      initial: c.initial,
      codes: c.states.map((s) => s.code),
      weights: c.states.map((s) => Math.max(0, s.weight)),
      totalWeight: c.states.reduce((sum, s) => sum + Math.max(0, s.weight), 0),
      next,
      modifiers: new Map(c.states.map((s, i) => [s.code, modifiers(s.modifiers, `/conditions/states/${i}/modifiers`)])),
    };
  }

  const end = def.end ?? {};
  if (!end.success && !end.failure && !end.maxTurns && !end.timeLimitSeconds && ![...compiledActions.values()].some((a) => a.finishes)) {
    problem('/end', 'END_UNREACHABLE', 'nothing ends an attempt: give end.success, end.failure, end.maxTurns, end.timeLimitSeconds or an action with a finish effect');
  }
  for (const key of ['maxTurns', 'timeLimitSeconds'] as const) {
    const v = end[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) problem(`/end/${key}`, 'END_INVALID', `${key} is a whole number >= 1`);
  }

  const o = def.outcome ?? ({} as RulesetDefinition['outcome']);
  const bands = [...(o.bands ?? [])];
  if (o.mode === 'bands') {
    if (bands.length === 0) problem('/outcome/bands', 'BANDS_REQUIRED', 'outcome mode "bands" needs at least one band');
    bands.forEach((b, i) => {
      if (i > 0 && !(b.min > bands[i - 1]!.min)) problem(`/outcome/bands/${i}/min`, 'BANDS_UNORDERED', 'bands are listed by increasing min');
    });
  } else if (o.mode !== 'allOrNothing') {
    problem('/outcome/mode', 'OUTCOME_INVALID', 'outcome mode is "bands" or "allOrNothing"');
  }
  (o.breakpoints ?? []).forEach((b, i) => {
    if (i > 0 && !(b.min > o.breakpoints![i - 1]!.min)) problem(`/outcome/breakpoints/${i}/min`, 'BREAKPOINTS_UNORDERED', 'breakpoints are listed by increasing min');
  });
  (o.grades?.names ?? []).forEach((g, i) => {
    if (i > 0 && !(g.min > o.grades!.names[i - 1]!.min)) problem(`/outcome/grades/names/${i}/min`, 'GRADES_UNORDERED', 'grade names are listed by increasing min');
  });

  const attempts = def.attempts;
  if (attempts && !(Number.isInteger(attempts.max) && attempts.max >= 1 && attempts.max <= 10)) problem('/attempts/max', 'ATTEMPTS_INVALID', 'max is a whole number from 1 to 10');

  const ruleset: CompiledRuleset = {
    def,
    stats: def.stats ?? [],
    pools: compiledPools,
    actions: compiledActions,
    actionCodes: (def.actions ?? []).map((a) => a.code),
    buffs: compiledBuffs,
    conditions: compiledConditions,
    modifiersByTarget: indexModifiers(compiledBuffs, compiledConditions),
    end: {
      success: optional(end.success, '/end/success'),
      failure: optional(end.failure, '/end/failure'),
      maxTurns: end.maxTurns ?? null,
      timeLimitSeconds: end.timeLimitSeconds ?? null,
      onTimeout: end.onTimeout ?? 'finish',
    },
    outcome: {
      mode: o.mode,
      score: expr(o.score, '/outcome/score'),
      bands,
      bandLoss: bands.map((b, i) => loss(b.loss, `/outcome/bands/${i}/loss`)),
      success: optional(o.success, '/outcome/success'),
      failureLoss: loss(o.failureLoss, '/outcome/failureLoss'),
      failLoss: loss(o.failLoss, '/outcome/failLoss'),
      quality: optional(o.quality, '/outcome/quality'),
      grades: o.grades ? { value: expr(o.grades.value, '/outcome/grades/value'), names: o.grades.names } : null,
      breakpoints: o.breakpoints ?? [],
      outputMultiplier: optional(o.outputMultiplier, '/outcome/outputMultiplier'),
      breaksTarget: optional(o.breaksTarget, '/outcome/breaksTarget'),
      variants: (o.variants ?? []).map((v, i) => {
        if (typeof v?.itemTemplateCode !== 'string' || v.itemTemplateCode.length === 0) problem(`/outcome/variants/${i}/itemTemplateCode`, 'VARIANT_INVALID', 'a variant names an itemTemplateCode');
        return { when: expr(v?.when, `/outcome/variants/${i}/when`), itemTemplateCode: v?.itemTemplateCode ?? '', output: v?.output ?? 0 };
      }),
      attributes: Object.entries(o.attributes ?? {}).map(([name, e]) => {
        if (!NAME.test(name)) problem(`/outcome/attributes/${escapePointer(name)}`, 'NAME_INVALID', 'an attribute name is 1-64 letters, digits or _, starting with a letter');
        return [name, expr(e, `/outcome/attributes/${escapePointer(name)}`)] as [string, Compiled];
      }),
    },
    attempts: {
      max: attempts?.max ?? 1,
      loss: loss(attempts?.loss, '/attempts/loss'),
      firstTry: attempts?.firstTryBonus
        ? { chance: expr(attempts.firstTryBonus.chance, '/attempts/firstTryBonus/chance'), traits: attempts.firstTryBonus.traits }
        : null,
    },
    trial: def.trial ? { allowed: expr(def.trial.allowed, '/trial/allowed'), experienceMultiplier: def.trial.experienceMultiplier ?? 0 } : null,
    start: def.start ? { requires: expr(def.start.requires, '/start/requires'), reason: def.start.reason ?? "the recipe's ruleset does not allow this start" } : null,
    materials: compileMaterials(def.materials, expr, problem),
    rareEvents: (def.rareEvents ?? []).map((r, i) => ({
      code: r.code,
      chance: expr(r.chance, `/rareEvents/${i}/chance`),
      traits: r.traits ?? [],
      grade: r.grade ?? null,
      outputMultiplier: r.outputMultiplier ?? null,
    })),
  };
  return { ruleset: problems.length === 0 ? ruleset : null, problems };
}

/** The `materials` section: a rarity scale and mode, tag traits by increasing levels, inherited traits. */
function compileMaterials(
  m: MaterialsDef | undefined,
  expr: (e: unknown, at: string) => Compiled,
  problem: (path: string, code: string, message: string) => void,
): CompiledRuleset['materials'] {
  const rarity = m?.rarity ?? null;
  if (rarity) {
    if (!Array.isArray(rarity.scale) || rarity.scale.length === 0 || new Set(rarity.scale).size !== rarity.scale.length) {
      problem('/materials/rarity/scale', 'RARITY_INVALID', 'a rarity scale is a list of distinct names, lowest first');
    }
    if (rarity.mode !== undefined && rarity.mode !== 'gradient' && rarity.mode !== 'capped' && rarity.mode !== 'value') problem('/materials/rarity/mode', 'RARITY_INVALID', 'mode is gradient, capped or value');
    if (rarity.mode === 'value' && rarity.value === undefined) problem('/materials/rarity/value', 'RARITY_INVALID', 'mode value needs a value expression');
    if (rarity.pull !== undefined && !(rarity.pull >= 0 && rarity.pull <= 1)) problem('/materials/rarity/pull', 'RARITY_INVALID', 'pull is between 0 and 1');
  }
  (m?.tagTraits ?? []).forEach((t, i) => {
    const mins = (t.levels ?? []).map((l) => l.min);
    if (mins.length === 0 || mins.some((x, j) => j > 0 && x <= mins[j - 1]!)) problem(`/materials/tagTraits/${i}/levels`, 'LEVELS_ORDER', 'levels go by strictly increasing min');
  });
  return {
    rarity: rarity ? { ...rarity, valueFn: rarity.value === undefined ? null : expr(rarity.value, '/materials/rarity/value') } : null,
    tagTraits: m?.tagTraits ?? [],
    inherit: m?.inherit ?? null,
  };
}

function indexModifiers(buffs: Map<string, CompiledBuff>, conditions: CompiledRuleset['conditions']): CompiledRuleset['modifiersByTarget'] {
  const index: CompiledRuleset['modifiersByTarget'] = new Map();
  const add = (target: string, entry: { buff: string | null; condition: string | null; m: CompiledModifier }) => {
    const list = index.get(target) ?? [];
    list.push(entry);
    index.set(target, list);
  };
  for (const b of buffs.values()) for (const m of b.modifiers) add(m.target, { buff: b.code, condition: null, m });
  for (const [code, mods] of conditions?.modifiers ?? []) for (const m of mods) add(m.target, { buff: null, condition: code, m });
  return index;
}
