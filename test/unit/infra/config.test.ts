import { describe, expect, it } from 'vitest';
import { ConfigError, DEV_JWT_SECRET, loadConfig } from '../../../src/infra/config/config.js';

/** Outside standalone mode the hard neighbours need an address. */
const NEIGHBOURS = { CRAFT_NEIGHBOURS_URL: 'http://neighbours.internal:8080' };
/** Authentication is on by default: every config needs a secret (or CRAFT_AUTH_DISABLED). */
const AUTH = { CRAFT_AUTH_JWT_SECRET: 'unit-test-secret-0123456789', ...NEIGHBOURS };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...AUTH, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('production posture', () => {
  it('standalone_unset_isOff_soNoDevEndpointsAreServed', () => {
    expect(loadConfig({ ...AUTH }).standalone).toBe(false);
    expect(loadConfig({ ...AUTH, CRAFT_STANDALONE: 'true' }).standalone).toBe(true);
  });

  it('developmentSecret_outsideStandaloneOrDevelopment_refusesToStart', () => {
    const dev = { CRAFT_AUTH_JWT_SECRET: DEV_JWT_SECRET, ...NEIGHBOURS };
    expect(() => loadConfig(dev)).toThrow(ConfigError);
    expect(() => loadConfig({ ...dev, NODE_ENV: 'production' })).toThrow(/development secret/);
    expect(loadConfig({ ...dev, CRAFT_STANDALONE: 'true' }).auth).toMatchObject({ jwtSecret: DEV_JWT_SECRET });
    expect(loadConfig({ ...dev, NODE_ENV: 'development' }).auth).toMatchObject({ jwtSecret: DEV_JWT_SECRET });
  });
});

describe('loadConfig', () => {
  it('loadConfig_emptyEnvironment_usesTheDocumentedDefaults', () => {
    const c = loadConfig({ ...AUTH });
    expect(c.recipeCacheTtlSeconds).toBe(3600);
    expect(c.maxActiveSessionsPerEntity).toBe(1);
    expect(c.sessionTimeoutSeconds).toBe(3600);
    expect(c.defaultQualityWeights).toEqual({ materialQuality: 0.3, proficiencyLevel: 0.5, toolQuality: 0.2 });
    expect(c.discoveryMaterialConsumptionRate).toBe(0.5);
    expect(c.maxRecipesPerGameService).toBe(10000);
    expect(c.lockTimeoutSeconds).toBe(30);
    expect(c.stationExclusivity).toBe(false);
    expect(c.proficiencySource).toBe('seed');
    expect(c.maxProficiencyLevel).toBe(100);
    expect(c.experienceScalingFactor).toBe(1);
    expect(c.apprenticeBonusMultiplier).toBe(0.5);
    expect(c.collaborationBonusMultiplier).toBe(0.05);
    expect(c.phaseThresholds.map((p) => p.name)).toEqual(['novice', 'apprentice', 'journeyman', 'expert', 'master']);
    expect(c.port).toBe(3000);
  });

  it('loadConfig_weightsNotSummingToOne_namesAllThreeVariables', () => {
    const [p] = problems({ CRAFT_DEFAULT_QUALITY_TOOL_WEIGHT: '0.3' });
    expect(p).toContain('CRAFT_DEFAULT_QUALITY_MATERIAL_WEIGHT');
    expect(p).toContain('CRAFT_DEFAULT_QUALITY_TOOL_WEIGHT');
    expect(p).toContain('must sum to 1.0');
  });

  it('loadConfig_weightsSummingToOneWithFloatNoise_accepted', () => {
    const c = loadConfig({
      ...AUTH,
      CRAFT_DEFAULT_QUALITY_MATERIAL_WEIGHT: '0.1',
      CRAFT_DEFAULT_QUALITY_PROFICIENCY_WEIGHT: '0.7',
      CRAFT_DEFAULT_QUALITY_TOOL_WEIGHT: '0.2',
    });
    expect(c.defaultQualityWeights.proficiencyLevel).toBe(0.7);
  });

  it('loadConfig_outOfBoundsAndMalformedValues_reportsEachVariableAndRule', () => {
    const p = problems({
      CRAFT_MAX_ACTIVE_SESSIONS_PER_ENTITY: '11',
      CRAFT_RECIPE_CACHE_TTL_SECONDS: '5',
      PORT: 'eighty',
      CRAFT_STATION_EXCLUSIVITY: 'yes',
      CRAFT_PROFICIENCY_SOURCE: 'remote',
      DATABASE_URL: 'postgres://x/y',
    });
    expect(p).toEqual(
      expect.arrayContaining([
        'CRAFT_MAX_ACTIVE_SESSIONS_PER_ENTITY: must be <= 10 (allowed 1..10)',
        'CRAFT_RECIPE_CACHE_TTL_SECONDS: must be >= 60 (allowed 60..86400)',
        'PORT: must be a number',
        expect.stringMatching(/^CRAFT_STATION_EXCLUSIVITY: /),
        expect.stringMatching(/^CRAFT_PROFICIENCY_SOURCE: /),
        expect.stringMatching(/^DATABASE_URL: must be a URL with scheme mysql:\/\/ or mariadb:\/\//),
      ]),
    );
    expect(p).toHaveLength(6);
  });

  it('loadConfig_nonIntegerForIntegerSetting_rejected', () => {
    expect(problems({ CRAFT_MAX_PROFICIENCY_LEVEL: '10.5' })).toEqual(['CRAFT_MAX_PROFICIENCY_LEVEL: must be an integer']);
  });

  it('loadConfig_phaseThresholdsNotIncreasing_rejected', () => {
    expect(problems({ CRAFT_PHASE_THRESHOLDS: 'novice:0,expert:500,journeyman:100' })[0]).toMatch(
      /CRAFT_PHASE_THRESHOLDS: thresholds must be strictly increasing/,
    );
    expect(problems({ CRAFT_PHASE_THRESHOLDS: 'novice:5' })[0]).toMatch(/first phase must start at 0/);
  });

  it('loadConfig_emptyStringValue_treatedAsUnset', () => {
    expect(loadConfig({ ...AUTH, CRAFT_LOCK_TIMEOUT_SECONDS: '' }).lockTimeoutSeconds).toBe(30);
  });
});
