import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { envKeys } from './env-schema.js';

const base = { AES_ENCRYPTION_SECRET: 'x' };

describe('config', () => {
  it('when nothing is set but the secret, then Outpost defaults apply', () => {
    const config = loadConfig(base);
    expect(config.api.port).toBe(3333);
    expect(config.delivery.retryDelaysSeconds).toEqual([30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360]);
    expect(config.delivery.timeoutMs).toBe(5000);
    expect(config.maxDestinationsPerTenant).toBe(20);
    expect(config.topics.configured).toBeNull();
    expect(Object.isFrozen(config.delivery)).toBe(true);
  });

  it('when RETRY_SCHEDULE is set, then it overrides interval and limit', () => {
    expect(loadConfig({ ...base, RETRY_SCHEDULE: '5, 10,60', MAX_RETRY_LIMIT: '1' }).delivery.retryDelaysSeconds).toEqual([5, 10, 60]);
  });

  it.each([
    [{ MAX_RETRY_LIMIT: 'ten' }, 'MAX_RETRY_LIMIT'],
    [{ RETRY_INTERVAL_SECONDS: '0' }, 'RETRY_INTERVAL_SECONDS'],
    [{ RETRY_SCHEDULE: '1,0' }, 'RETRY_SCHEDULE'],
    [{ API_PORT: '70000' }, 'API_PORT'],
    [{ DESTINATIONS_WEBHOOK_MODE: 'fancy' }, 'DESTINATIONS_WEBHOOK_MODE'],
    [{ DEPLOYMENT_ID: 'has space' }, 'DEPLOYMENT_ID'],
    [{ TOPICS_ALLOW_WILDCARDS: 'maybe' }, 'TOPICS_ALLOW_WILDCARDS'],
    [{ IDGEN_EVENT_PREFIX: 'e'.repeat(65) }, 'IDGEN_EVENT_PREFIX'],
    [{ IDGEN_DESTINATION_PREFIX: 'des/' }, 'IDGEN_DESTINATION_PREFIX'],
    [{ PORTAL_URL: 'portal.example.com' }, 'PORTAL_URL'],
    [{ PORTAL_PROXY_URL: 'localhost:5173' }, 'PORTAL_PROXY_URL'],
    [{ PORTAL_FORCE_THEME: 'blue' }, 'PORTAL_FORCE_THEME'],
  ])('when %j, then start-up fails naming %s', (env, name) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ...env })).toThrow(new RegExp(`${name}:`));
  });

  it('when the encryption secret is missing, then start-up fails naming it', () => {
    expect(() => loadConfig({})).toThrow(/AES_ENCRYPTION_SECRET: is required/);
  });

  it('when POSTGRES_URL (Outpost name) is set, then it is the database URL', () => {
    expect(loadConfig({ ...base, POSTGRES_URL: 'postgres://x/y' }).db.url).toBe('postgres://x/y');
  });

  it('when PORTAL_ACCENT_COLOR (Outpost docs name) is set, then it is the portal brand color', () => {
    expect(loadConfig({ ...base, PORTAL_ACCENT_COLOR: '#6122e7' }).portal.brandColor).toBe('#6122e7');
  });

  it('when no portal key is set, then the link base is unset and the portal flags are off', () => {
    expect(loadConfig(base).portal).toMatchObject({ url: undefined, enableDestinationFilter: false, disableOutpostBranding: false });
  });

  it('when .env.example is read, then it documents every key', () => {
    const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    for (const name of Object.keys(envKeys)) expect(example).toContain(`# ${name}=`);
  });
});
