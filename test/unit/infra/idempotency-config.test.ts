import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/infra/config/config.js';

/** Authentication is on by default: every config needs a secret (or CRAFT_AUTH_DISABLED). */
const AUTH = { CRAFT_AUTH_JWT_SECRET: 'unit-test-secret-0123456789', CRAFT_STANDALONE: 'true' };

describe('CRAFT_IDEMPOTENCY_RETENTION_HOURS', () => {
  it('loadConfig_unset_retains24Hours', () => {
    expect(loadConfig({ ...AUTH }).idempotencyRetentionHours).toBe(24);
  });

  it('loadConfig_withinOneTo720_isUsed', () => {
    expect(loadConfig({ ...AUTH, CRAFT_IDEMPOTENCY_RETENTION_HOURS: '1' }).idempotencyRetentionHours).toBe(1);
    expect(loadConfig({ ...AUTH, CRAFT_IDEMPOTENCY_RETENTION_HOURS: '720' }).idempotencyRetentionHours).toBe(720);
  });

  it('loadConfig_outOfRangeOrNotAnInteger_namesTheVariable', () => {
    for (const value of ['0', '721', '1.5', 'day']) {
      expect(() => loadConfig({ ...AUTH, CRAFT_IDEMPOTENCY_RETENTION_HOURS: value }), value).toThrow(ConfigError);
      try {
        loadConfig({ ...AUTH, CRAFT_IDEMPOTENCY_RETENTION_HOURS: value });
      } catch (err) {
        expect((err as ConfigError).problems[0]).toContain('CRAFT_IDEMPOTENCY_RETENTION_HOURS');
      }
    }
  });
});
