import { describe, expect, it } from 'vitest';
import { chooseTheme, isExpired, reauthTarget, readClaims, sessionFromToken, startSession } from './session.js';

const b64url = (s: string) => Buffer.from(s).toString('base64url');
const jwt = (claims: object) => `${b64url('{"alg":"HS256"}')}.${b64url(JSON.stringify(claims))}.sig`;

function memoryStorage() {
  const map = new Map<string, string>();
  return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v) };
}

describe('the portal session', () => {
  it('when the link carries a token and theme, then both are stored and the address loses them', () => {
    const storage = memoryStorage();
    const token = jwt({ sub: 'tenant_ü', exp: 2_000_000_000 });
    const { session, cleanUrl, theme } = startSession(`https://h.test/portal/destinations?token=${token}&tenant_id=t&theme=dark&x=1`, storage);
    expect(session).toEqual({ token, tenantId: 'tenant_ü', expiresAt: 2_000_000_000_000 });
    expect(cleanUrl).toBe('/portal/destinations?x=1');
    expect(theme).toBe('dark');
    expect(startSession('https://h.test/portal/activity', storage)).toEqual({ session, cleanUrl: null, theme: 'dark' });
  });

  it.each([
    ['no token at all', ''],
    ['a token that is not a JWT', '?token=garbage'],
    ['a JWT without a subject', `?token=${jwt({ exp: 1 })}`],
  ])('when there is %s, then there is no session', (_what, query) => {
    expect(startSession(`https://h.test/portal${query}`, memoryStorage()).session).toBeNull();
  });

  it('when the expiry has passed, then the session is expired', () => {
    const session = sessionFromToken(jwt({ sub: 't', exp: 100 }))!;
    expect(isExpired(session, 99_000)).toBe(false);
    expect(isExpired(session, 100_000)).toBe(true);
    expect(readClaims('a.b')).toBeNull();
  });

  it.each([
    [{ refreshUrl: 'https://app.test/refresh', refererUrl: 'https://app.test/' }, 'https://app.test/refresh'],
    [{ refreshUrl: null, refererUrl: 'https://app.test/' }, 'https://app.test/'],
    [{ refreshUrl: null, refererUrl: null }, null],
  ])('when the token is missing or expired with %o, then the user goes to %s', (config, target) => {
    expect(reauthTarget(config)).toBe(target);
  });

  it.each([
    ['dark', 'light', false, 'dark'], [null, 'light', true, 'light'], [null, null, true, 'dark'], [null, null, false, 'light'],
  ] as const)('when forced %s, chosen %s, system dark %s, then the theme is %s', (forced, chosen, prefersDark, theme) => {
    expect(chooseTheme(forced, chosen, prefersDark)).toBe(theme);
  });
});
