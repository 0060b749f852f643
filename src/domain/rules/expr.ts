/**
 * Expressions of rulesets: a restricted JSON Logic, compiled once into plain closures (no code
 * generation, no user functions). Only where data must compute (starts, requirements, chances,
 * amounts, scores); what an action *does* is the closed vocabulary of effects in engine.ts.
 *
 * Operators: var; + - * / % min max abs floor ceil round pow; == != === !== < <= > >=; and or
 * ! !!; if (with else-if chains); in. Numbers stay finite: a division by zero, an overflow or a
 * non-number operand (a string, a list, null; a boolean counts 1/0) gives 0. `var` reads own properties only, by dotted path over the
 * evaluation context; a path naming `__proto__`, `prototype` or `constructor` is refused. An
 * expression may nest at most MAX_DEPTH levels and hold at most MAX_NODES operators and values.
 */

export type Compiled = (ctx: unknown) => unknown;

export interface ExprProblem {
  /** JSON pointer of the offending part, from the ruleset's root. */
  path: string;
  code: string;
  message: string;
}

export const MAX_DEPTH = 12;
export const MAX_NODES = 256;

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);
const has = Object.prototype.hasOwnProperty;

/** Arithmetic reads numbers as they are, booleans as 1/0, and anything else (strings, lists, null) as 0. */
const num = (v: unknown): number => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : 0;
  return v === true ? 1 : 0;
};
const finite = (n: number): number => (Number.isFinite(n) ? n : 0);
const truthy = (v: unknown): boolean => (Array.isArray(v) ? v.length > 0 : !!v);

type Builder = (args: Compiled[], raw: unknown[]) => Compiled;

const variadic =
  (fold: (acc: number, x: number) => number, empty: number): Builder =>
  (args) => {
    if (args.length === 0) return () => empty;
    if (args.length === 1) {
      const [a] = args as [Compiled];
      return (c) => finite(fold(empty, num(a(c))));
    }
    if (args.length === 2) {
      const [a, b] = args as [Compiled, Compiled];
      return (c) => finite(fold(num(a(c)), num(b(c))));
    }
    return (c) => {
      let acc = num(args[0]!(c));
      for (let i = 1; i < args.length; i++) acc = fold(acc, num(args[i]!(c)));
      return finite(acc);
    };
  };

const unary =
  (f: (x: number) => number): Builder =>
  (args) => {
    const a = args[0] ?? (() => 0);
    return (c) => finite(f(num(a(c))));
  };

/** a op b, or (a op b op c) for the between forms of < and <=. */
const compare =
  (op: (a: number, b: number) => boolean): Builder =>
  (args) => {
    const [a, b, x] = args;
    if (!a || !b) return () => false;
    if (x) return (c) => {
      const m = num(b(c));
      return op(num(a(c)), m) && op(m, num(x(c)));
    };
    return (c) => op(num(a(c)), num(b(c)));
  };

const OPERATORS: Record<string, { min: number; max: number; build: Builder }> = {
  '+': { min: 0, max: 64, build: variadic((a, b) => a + b, 0) },
  '*': { min: 1, max: 64, build: variadic((a, b) => a * b, 1) },
  '-': {
    min: 1,
    max: 2,
    build: (args) => {
      const [a, b] = args as [Compiled, Compiled | undefined];
      return b ? (c) => finite(num(a(c)) - num(b(c))) : (c) => finite(-num(a(c)));
    },
  },
  '/': { min: 2, max: 2, build: (args) => (c) => finite(num(args[0]!(c)) / num(args[1]!(c))) },
  '%': { min: 2, max: 2, build: (args) => (c) => finite(num(args[0]!(c)) % num(args[1]!(c))) },
  min: { min: 1, max: 64, build: variadic(Math.min, Number.POSITIVE_INFINITY) },
  max: { min: 1, max: 64, build: variadic(Math.max, Number.NEGATIVE_INFINITY) },
  abs: { min: 1, max: 1, build: unary(Math.abs) },
  floor: { min: 1, max: 1, build: unary(Math.floor) },
  ceil: { min: 1, max: 1, build: unary(Math.ceil) },
  round: { min: 1, max: 1, build: unary(Math.round) },
  pow: { min: 2, max: 2, build: (args) => (c) => finite(num(args[0]!(c)) ** num(args[1]!(c))) },
  '<': { min: 2, max: 3, build: compare((a, b) => a < b) },
  '<=': { min: 2, max: 3, build: compare((a, b) => a <= b) },
  '>': { min: 2, max: 2, build: compare((a, b) => a > b) },
  '>=': { min: 2, max: 2, build: compare((a, b) => a >= b) },
  // Equality compares numbers as numbers, anything else as it is (no coercion surprises).
  '==': { min: 2, max: 2, build: (args) => (c) => same(args[0]!(c), args[1]!(c)) },
  '===': { min: 2, max: 2, build: (args) => (c) => same(args[0]!(c), args[1]!(c)) },
  '!=': { min: 2, max: 2, build: (args) => (c) => !same(args[0]!(c), args[1]!(c)) },
  '!==': { min: 2, max: 2, build: (args) => (c) => !same(args[0]!(c), args[1]!(c)) },
  '!': { min: 1, max: 1, build: (args) => (c) => !truthy(args[0]!(c)) },
  '!!': { min: 1, max: 1, build: (args) => (c) => truthy(args[0]!(c)) },
  and: {
    min: 1,
    max: 64,
    build: (args) => (c) => {
      let v: unknown = true;
      for (const a of args) {
        v = a(c);
        if (!truthy(v)) return v;
      }
      return v;
    },
  },
  or: {
    min: 1,
    max: 64,
    build: (args) => (c) => {
      let v: unknown = false;
      for (const a of args) {
        v = a(c);
        if (truthy(v)) return v;
      }
      return v;
    },
  },
  if: {
    min: 1,
    max: 33,
    build: (args) => (c) => {
      let i = 0;
      for (; i + 1 < args.length; i += 2) if (truthy(args[i]!(c))) return args[i + 1]!(c);
      return i < args.length ? args[i]!(c) : null;
    },
  },
  in: {
    min: 2,
    max: 2,
    build: (args) => (c) => {
      const needle = args[0]!(c);
      const hay = args[1]!(c);
      if (Array.isArray(hay)) return hay.some((h) => same(h, needle));
      return typeof hay === 'string' && typeof needle === 'string' && hay.includes(needle);
    },
  },
};

export const OPERATOR_NAMES = Object.freeze(['var', ...Object.keys(OPERATORS)]);

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') {
    return (typeof a === 'number' || typeof a === 'boolean') && (typeof b === 'number' || typeof b === 'boolean') && num(a) === num(b);
  }
  return a === b;
}

function reader(path: string, fallback: unknown): Compiled {
  if (path === '') return (c) => c ?? fallback;
  const segments = path.split('.');
  if (segments.length === 1) {
    const [key] = segments as [string];
    return (c) => (c !== null && typeof c === 'object' && has.call(c, key) ? ((c as Record<string, unknown>)[key] ?? fallback) : fallback);
  }
  if (segments.length === 2) {
    const [a, b] = segments as [string, string];
    // The first segment is a context root (compile refuses any other), never an inherited
    // property name, so it is read directly; the second is checked to be the object's own.
    return (c) => {
      if (c === null || typeof c !== 'object') return fallback;
      const o = (c as Record<string, unknown>)[a];
      if (o === null || typeof o !== 'object') return fallback;
      const v = (o as Record<string, unknown>)[b];
      // The common case without the own-property check: no inherited property of a plain
      // object or a list is a number (a list's length is its own).
      if (typeof v === 'number') return v;
      return has.call(o, b) ? (v ?? fallback) : fallback;
    };
  }
  return (c) => {
    let v: unknown = c;
    for (const s of segments) {
      if (v === null || typeof v !== 'object' || !has.call(v, s)) return fallback;
      v = (v as Record<string, unknown>)[s];
    }
    return v ?? fallback;
  };
}

export interface CompileOptions {
  /** Whether a `var` path is known to the context (its first segment, or the whole path). */
  knownVar: (path: string) => boolean;
}

/**
 * Compiles an expression. Problems (unknown operators or variables, bad arities, too deep or
 * too big) are reported with the JSON pointer of each, from `at`; the function is then null.
 */
export function compileExpr(expr: unknown, at: string, opts: CompileOptions): { fn: Compiled | null; problems: ExprProblem[] } {
  const problems: ExprProblem[] = [];
  let nodes = 0;
  const walk = (e: unknown, path: string, depth: number): Compiled => {
    nodes++;
    if (nodes === MAX_NODES + 1) problems.push({ path, code: 'EXPRESSION_TOO_BIG', message: `an expression may hold at most ${MAX_NODES} operators and values` });
    if (depth > MAX_DEPTH) {
      problems.push({ path, code: 'EXPRESSION_TOO_DEEP', message: `an expression may nest at most ${MAX_DEPTH} levels` });
      return () => null;
    }
    if (e === null || typeof e === 'number' || typeof e === 'boolean' || typeof e === 'string') {
      if (typeof e === 'number' && !Number.isFinite(e)) problems.push({ path, code: 'EXPRESSION_INVALID', message: 'numbers must be finite' });
      if (typeof e === 'string' && e.length > 200) problems.push({ path, code: 'EXPRESSION_INVALID', message: 'strings are at most 200 characters' });
      return () => e;
    }
    if (Array.isArray(e)) {
      const items = e.map((x, i) => walk(x, `${path}/${i}`, depth + 1));
      return (c) => items.map((f) => f(c));
    }
    if (typeof e !== 'object') {
      problems.push({ path, code: 'EXPRESSION_INVALID', message: 'not a JSON value' });
      return () => null;
    }
    const keys = Object.keys(e);
    if (keys.length !== 1) {
      problems.push({ path, code: 'EXPRESSION_INVALID', message: 'an operation is an object with exactly one operator key' });
      return () => null;
    }
    const op = keys[0]!;
    const rawArgs = (e as Record<string, unknown>)[op];
    const args = Array.isArray(rawArgs) ? rawArgs : [rawArgs];
    const here = `${path}/${escapePointer(op)}`;
    if (op === 'var') {
      const [name, fallback] = args;
      if (typeof name !== 'string' && typeof name !== 'number') {
        problems.push({ path: here, code: 'EXPRESSION_INVALID', message: 'var takes a dotted path (and an optional default)' });
        return () => null;
      }
      const p = String(name);
      if (p.split('.').some((s) => FORBIDDEN_SEGMENTS.has(s))) {
        problems.push({ path: here, code: 'EXPRESSION_INVALID', message: `var "${p}" names a forbidden property` });
        return () => null;
      }
      if (!opts.knownVar(p)) problems.push({ path: here, code: 'UNKNOWN_VARIABLE', message: `unknown variable "${p}"` });
      if (fallback !== undefined && (fallback === null || typeof fallback === 'object')) {
        if (fallback !== null) problems.push({ path: here, code: 'EXPRESSION_INVALID', message: 'a var default is a number, string or boolean' });
      }
      return reader(p, fallback ?? null);
    }
    const def = has.call(OPERATORS, op) ? OPERATORS[op] : undefined;
    if (!def) {
      problems.push({ path: here, code: 'OPERATOR_NOT_ALLOWED', message: `operator "${op}" is not allowed (allowed: ${OPERATOR_NAMES.join(' ')})` });
      return () => null;
    }
    if (args.length < def.min || args.length > def.max) {
      problems.push({ path: here, code: 'EXPRESSION_INVALID', message: `"${op}" takes ${def.min === def.max ? def.min : `${def.min} to ${def.max}`} arguments` });
      return () => null;
    }
    const compiled = args.map((a, i) => walk(a, Array.isArray(rawArgs) ? `${here}/${i}` : here, depth + 1));
    return def.build(compiled, args);
  };
  const fn = walk(expr, at, 0);
  return { fn: problems.length === 0 ? fn : null, problems };
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The numeric value of an expression result (non-numbers and non-finite values are 0). */
export const toNumber = num;
export const toBoolean = truthy;
