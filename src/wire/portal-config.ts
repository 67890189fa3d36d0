/** Shared by the API (src/api/portal.ts) and the portal app, which imports it as a type. */

/** What the portal reads at start from /portal/config.json: branding and feature flags, never a secret. */
export interface PortalClientConfig {
  readonly organizationName: string | null;
  readonly brandColor: string | null;
  readonly logo: string | null;
  readonly logoDark: string | null;
  readonly faviconUrl: string | null;
  readonly forceTheme: 'light' | 'dark' | null;
  readonly disableOutpostBranding: boolean;
  readonly enableDestinationFilter: boolean;
  readonly enableWebhookCustomHeaders: boolean;
  readonly refererUrl: string | null;
  readonly refreshUrl: string | null;
}
