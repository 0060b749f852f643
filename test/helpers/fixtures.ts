/** The seed document's example recipes, as API request bodies. */
export function forgeIronSword(gameServiceId: string, overrides: Record<string, unknown> = {}) {
  return {
    gameServiceId,
    code: 'forge_iron_sword',
    recipeType: 'production',
    domain: 'blacksmithing',
    category: 'weapons',
    tags: ['melee', 'basic'],
    inputs: [
      { itemTemplateCode: 'iron_ingot', quantity: 3 },
      { itemTemplateCode: 'leather_strip', quantity: 1 },
    ],
    currencyCosts: [],
    steps: [
      { code: 'heat_metal', name: 'Heat the metal', stationType: 'forge', durationSeconds: 15, skillCheck: true },
      { code: 'hammer_blade', name: 'Hammer the blade', stationType: 'forge', toolCategory: 'hammer', skillCheck: true },
      { code: 'quench', name: 'Quench', stationType: 'forge', skillCheck: false },
      { code: 'attach_grip', name: 'Attach the grip', toolCategory: 'hammer', skillCheck: false },
    ],
    outputs: [{ itemTemplateCode: 'iron_sword', quantity: 1, qualityInfluence: 1.0 }],
    proficiencyRequirements: [{ domain: 'blacksmithing', minimumLevel: 3 }],
    qualityWeights: { materialQuality: 0.3, proficiencyLevel: 0.5, toolQuality: 0.2 },
    experienceGrants: [{ domain: 'blacksmithing', baseExperience: 50, firstCraftBonus: 25 }],
    ...overrides,
  };
}

/** `count` small valid production recipes spread over `domains` domains. */
export function simpleRecipes(count: number, opts: { domains?: number; prefix?: string } = {}) {
  const domains = opts.domains ?? 3;
  return Array.from({ length: count }, (_, i) => ({
    code: `${opts.prefix ?? 'recipe'}_${String(i).padStart(4, '0')}`,
    recipeType: 'production',
    domain: `domain_${i % domains}`,
    category: i % 2 === 0 ? 'even' : 'odd',
    tags: [`tag_${i % 4}`],
    inputs: [{ itemTemplateCode: 'ore', quantity: 2 }],
    steps: [{ code: 'work', name: 'Work', skillCheck: false }],
    outputs: [{ itemTemplateCode: `thing_${i}`, quantity: 1, qualityInfluence: 0.5 }],
  }));
}
