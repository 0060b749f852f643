import { describe, expect, it } from 'vitest';
import { covers } from '../../../src/infra/nats/nats-bus.js';

describe('covers', () => {
  it('covers_wildcards_matchLikeNats', () => {
    expect(covers('craft.>', 'craft.recipe.created')).toBe(true);
    expect(covers('craft.>', 'craft')).toBe(false);
    expect(covers('contract.>', 'contract.terminated')).toBe(true);
    expect(covers('contract.terminated', 'contract.>')).toBe(false);
    expect(covers('craft.*.created', 'craft.recipe.created')).toBe(true);
    expect(covers('craft.*', 'craft.recipe.created')).toBe(false);
    expect(covers('craft.recipe.created', 'craft.recipe.created')).toBe(true);
    expect(covers('craft.recipe', 'craft.session')).toBe(false);
  });
});
