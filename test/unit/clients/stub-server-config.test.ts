import { describe, expect, it } from 'vitest';
import { loadStubConfig, StubConfigError } from '../../../src/stub-server/config.js';

describe('stub server config', () => {
  it('withoutASecret_refusesToStart_unlessAuthIsExplicitlyOff', () => {
    expect(() => loadStubConfig({})).toThrow(/STUBS_AUTH_JWT_SECRET/);
    expect(loadStubConfig({ STUBS_AUTH_JWT_SECRET: 'auth' }).authJwtSecret).toBe('auth');
  });

  it('defaults_withAuthOff_listenOnLoopbackOnly', () => {
    expect(loadStubConfig({ STUBS_AUTH_DISABLED: 'true' })).toEqual({
      databaseUrl: 'mysql://root@127.0.0.1:3306/craft',
      databaseConnectionLimit: 20,
      natsUrl: 'nats://127.0.0.1:4222',
      host: '127.0.0.1',
      port: 3100,
      logLevel: 'info',
      authJwtSecret: null,
      craft: { baseUrls: [], token: null, jwtSecret: null, timeoutMs: 30_000 },
      faults: [],
      contractStream: 'CONTRACT',
      contractSubjectPrefix: 'contract',
    });
  });

  it('parsesCraftUrlsFaultsAndSecrets', () => {
    const config = loadStubConfig({
      STUBS_CRAFT_URL: 'http://a:3000/, http://b:3000',
      STUBS_CRAFT_JWT_SECRET: 's',
      STUBS_AUTH_JWT_SECRET: 'auth',
      STUBS_FAULTS: 'inventory.transfer:7, item.createInstance:5:after',
      PORT: '4000',
      STUBS_CONTRACT_STREAM: '',
    });
    expect(config.craft).toMatchObject({ baseUrls: ['http://a:3000', 'http://b:3000'], jwtSecret: 's', token: null });
    expect(config.authJwtSecret).toBe('auth');
    expect(config.port).toBe(4000);
    expect(config.contractStream).toBe('CONTRACT');
    expect(config.faults).toEqual([
      { op: 'inventory.transfer', every: 7, phase: 'before' },
      { op: 'item.createInstance', every: 5, phase: 'after' },
    ]);
  });

  it.each([
    [{ STUBS_FAULTS: 'item.createInstance:0' }, 'STUBS_FAULTS'],
    [{ STUBS_FAULTS: 'nonsense' }, 'STUBS_FAULTS'],
    [{ STUBS_CRAFT_URL: 'ftp://x' }, 'STUBS_CRAFT_URL'],
    [{ STUBS_CRAFT_TOKEN: 't', STUBS_CRAFT_JWT_SECRET: 's' }, 'STUBS_CRAFT_TOKEN'],
    [{ PORT: 'x' }, 'PORT'],
    [{ DATABASE_URL: 'postgres://x/y' }, 'DATABASE_URL'],
    [{ STUBS_CONTRACT_SUBJECT_PREFIX: 'a.b' }, 'STUBS_CONTRACT_SUBJECT_PREFIX'],
  ])('invalid_%j_isAConfigErrorNamingTheVariable', (env, name) => {
    expect(() => loadStubConfig({ STUBS_AUTH_JWT_SECRET: 'auth', ...env })).toThrow(StubConfigError);
    expect(() => loadStubConfig({ STUBS_AUTH_JWT_SECRET: 'auth', ...env })).toThrow(name);
  });
});
