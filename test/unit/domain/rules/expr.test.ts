import { describe, expect, it } from 'vitest';
import { compileExpr, MAX_DEPTH } from '../../../../src/domain/rules/expr.js';

const known = { knownVar: (p: string) => ['pools', 'stats', 'x', 'y', 'flag'].includes(p.split('.')[0]!) };
const run = (e: unknown, ctx: unknown = {}) => {
  const { fn, problems } = compileExpr(e, '/e', known);
  if (!fn) throw new Error(JSON.stringify(problems));
  return fn(ctx);
};

describe('compileExpr (restricted JSON Logic)', () => {
  it('arithmetic_comparisonLogicAndVars_likeJsonLogic', () => {
    const ctx = { pools: { progress: 40, cp: 12 }, stats: { craftsmanship: 250 }, x: 3 };
    expect(run({ '*': [{ var: 'stats.craftsmanship' }, 0.01, 1.2] }, ctx)).toBeCloseTo(3, 12);
    expect(run({ '-': [{ var: 'pools.progress' }] }, ctx)).toBe(-40);
    expect(run({ min: [{ var: 'pools.cp' }, 10, 50] }, ctx)).toBe(10);
    expect(run({ if: [{ '>=': [{ var: 'pools.progress' }, 100] }, 'done', { '<': [0, { var: 'x' }, 5] }, 'mid', 'low'] }, ctx)).toBe('mid');
    expect(run({ and: [{ var: 'flag' }, 1] }, ctx)).toBe(null);
    expect(run({ or: [{ var: 'flag' }, { var: 'x' }] }, ctx)).toBe(3);
    expect(run({ in: ['b', ['a', 'b']] }, ctx)).toBe(true);
    expect(run({ var: ['pools.missing', 7] }, ctx)).toBe(7);
    expect(run({ floor: [{ '/': [7, 2] }] }, ctx)).toBe(3);
  });

  it('numbersStayFinite_divisionByZeroAndOverflowGiveZero', () => {
    expect(run({ '/': [1, 0] })).toBe(0);
    expect(run({ pow: [10, 400] })).toBe(0);
    expect(run({ '+': ['abc', 2] })).toBe(2);
    // Not a number is 0, whatever JavaScript would coerce it to; booleans count 1/0.
    expect(run({ '+': ['12', 1] })).toBe(1);
    expect(run({ '+': [[5], 1] })).toBe(1);
    expect(run({ '*': [{ var: 'flag' }, 3] }, { flag: true })).toBe(3);
    expect(run({ '<': ['2', 1] })).toBe(true);
  });

  it('varReadsOwnPropertiesOnly_prototypePathsRefused', () => {
    expect(run({ var: 'x.toString' }, { x: 1 })).toBe(null);
    expect(compileExpr({ var: 'x.__proto__' }, '/e', known).problems.map((p) => p.code)).toEqual(['EXPRESSION_INVALID']);
    expect(compileExpr({ var: 'constructor' }, '/e', { knownVar: () => true }).problems.map((p) => p.code)).toEqual(['EXPRESSION_INVALID']);
  });

  it('problems_carryTheJsonPointerOfEach', () => {
    const { fn, problems } = compileExpr({ '+': [{ var: 'nope' }, { eval: ['1'] }, { '-': [1, 2, 3] }] }, '/actions/2/chance', known);
    expect(fn).toBeNull();
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['/actions/2/chance/+/0/var', 'UNKNOWN_VARIABLE'],
      ['/actions/2/chance/+/1/eval', 'OPERATOR_NOT_ALLOWED'],
      ['/actions/2/chance/+/2/-', 'EXPRESSION_INVALID'],
    ]);
  });

  it('tooDeepOrTooBig_refused', () => {
    let deep: unknown = 1;
    for (let i = 0; i <= MAX_DEPTH + 1; i++) deep = { '+': [deep, 1] };
    expect(compileExpr(deep, '/e', known).problems.some((p) => p.code === 'EXPRESSION_TOO_DEEP')).toBe(true);
    const big = { '+': Array.from({ length: 60 }, () => ({ '+': [1, 2, 3, 4, 5] })) };
    expect(compileExpr(big, '/e', known).problems.some((p) => p.code === 'EXPRESSION_TOO_BIG')).toBe(true);
  });
});
