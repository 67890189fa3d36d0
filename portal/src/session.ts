/**
 * The portal's session: the tenant token arrives once in the link (`?token=…[&theme=]`), is kept in
 * sessionStorage (so it dies with the tab) and removed from the address bar. Pure functions here,
 * storage and location passed in, so they are tested without a browser.
 */

export interface Session {
  readonly token: string;
  readonly tenantId: string;
  /** Expiry of the token, ms since the epoch; null when the token carries none. */
  readonly expiresAt: number | null;
}

const TOKEN_KEY = 'herald.portal.token';
const THEME_KEY = 'herald.portal.theme';

export type Theme = 'light' | 'dark';

function base64UrlDecode(part: string): string {
  const padded = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
  return decodeURIComponent(Array.from(atob(padded), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''));
}

/** The claims of a JWT, unverified (the API verifies it; the portal only reads its tenant and expiry). */
export function readClaims(token: string): { sub?: string; exp?: number } | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const claims: unknown = JSON.parse(base64UrlDecode(payload));
    return claims !== null && typeof claims === 'object' ? (claims) : null;
  } catch {
    return null;
  }
}

export function sessionFromToken(token: string): Session | null {
  const claims = readClaims(token);
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '') return null;
  return { token, tenantId: claims.sub, expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : null };
}

export function isExpired(session: Session, now: number): boolean {
  return session.expiresAt !== null && session.expiresAt <= now;
}

/**
 * Takes the token and theme out of the link into storage, and returns the session plus the URL to
 * show without them; a token in the link replaces the stored one (a fresh portal link wins).
 */
export function startSession(href: string, storage: Pick<Storage, 'getItem' | 'setItem'>): { session: Session | null; cleanUrl: string | null; theme: Theme | null } {
  const url = new URL(href);
  const linked = url.searchParams.get('token');
  const linkedTheme = url.searchParams.get('theme');
  if (linked) storage.setItem(TOKEN_KEY, linked);
  if (linkedTheme === 'light' || linkedTheme === 'dark') storage.setItem(THEME_KEY, linkedTheme);
  const hadParams = ['token', 'theme', 'tenant_id'].some((k) => url.searchParams.has(k));
  for (const k of ['token', 'theme', 'tenant_id']) url.searchParams.delete(k);
  const stored = storage.getItem(TOKEN_KEY);
  const theme = storage.getItem(THEME_KEY);
  return {
    session: stored ? sessionFromToken(stored) : null,
    cleanUrl: hadParams ? `${url.pathname}${url.search}${url.hash}` : null,
    theme: theme === 'light' || theme === 'dark' ? theme : null,
  };
}

/** Where a user without a valid token goes: the refresh URL (to mint a new link), else the referer. */
export function reauthTarget(config: { refreshUrl: string | null; refererUrl: string | null }): string | null {
  return config.refreshUrl ?? config.refererUrl;
}

/** The theme shown: forced by config, else the link's or the user's last choice, else the system's. */
export function chooseTheme(forced: Theme | null, chosen: Theme | null, prefersDark: boolean): Theme {
  return forced ?? chosen ?? (prefersDark ? 'dark' : 'light');
}

export function rememberTheme(storage: Pick<Storage, 'setItem'>, theme: Theme): void {
  storage.setItem(THEME_KEY, theme);
}
