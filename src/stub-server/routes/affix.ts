import { z } from 'zod';
import type { StubServices } from '../../clients/stubs/index.js';
import { ClientError } from '../../clients/errors.js';
import { call, found, id, int, keyed, num, text, type Handlers } from '../wire-route.js';

const flags = {
  isIdentified: z.boolean().optional(),
  isCorrupted: z.boolean().optional(),
  isMirrored: z.boolean().optional(),
  isFractured: z.boolean().optional(),
};
const item = { itemInstanceId: id };

export function affixRoutes(s: StubServices): Handlers<'affix'> {
  const affix = s.affix;
  return {
    getItem: call(item, ({ itemInstanceId }) => affix.getItem(itemInstanceId)),
    getDefinition: call({ definitionId: id.optional(), gameServiceId: id.optional(), code: text.optional() }, async (q) => {
      let query: Parameters<typeof affix.getDefinition>[0];
      if (q.definitionId !== undefined) query = { definitionId: q.definitionId };
      else if (q.gameServiceId !== undefined && q.code !== undefined) query = { gameServiceId: q.gameServiceId, code: q.code };
      else throw new ClientError('affix', 'invalid', 'getDefinition needs definitionId, or gameServiceId and code');
      return found('affix', 'affix definition', await affix.getDefinition(query));
    }),
    generatePool: call(
      { gameServiceId: id, itemClass: text, itemLevel: num, slotType: text, weightModifiers: z.record(z.string(), num).optional() },
      async (input) => ({ entries: await affix.generatePool(input) }),
    ),
    apply: keyed({ ...item, definitionId: id, valuePercentileTarget: num.optional() }, (input, key) => affix.apply(input, key)),
    remove: keyed({ ...item, definitionId: id }, (input, key) => affix.remove(input, key)),
    rerollValues: keyed({ ...item, valuePercentileTarget: num.optional() }, (input, key) => affix.rerollValues(input, key)),
    setState: keyed({ ...item, ...flags, fractureDefinitionId: id.optional() }, (input, key) => affix.setState(input, key)),
    createDefinition: call(
      {
        gameServiceId: id,
        code: text,
        slotType: text,
        tier: int,
        weight: int,
        valueMin: num,
        valueMax: num,
        tags: z.array(text).optional(),
        validItemClasses: z.array(text).nullish(),
        minItemLevel: int.optional(),
      },
      (input) => affix.createDefinition(input),
    ),
    setItemState: keyed({ ...item, ...flags, maxPrefixes: int.optional(), maxSuffixes: int.optional() }, (input, key) =>
      affix.setItemState(input, key),
    ),
  };
}
