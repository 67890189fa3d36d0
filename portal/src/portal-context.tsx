import { createContext, useContext } from 'react';
import type { PortalClientConfig } from '../../src/wire/portal-config.js';
import type { ApiClient } from './api.js';
import type { Theme } from './session.js';

export type PortalConfig = PortalClientConfig;

export interface PortalContextValue {
  readonly api: ApiClient;
  readonly config: PortalConfig;
  readonly theme: Theme;
  readonly setTheme: (theme: Theme) => void;
}

export const PortalContext = createContext<PortalContextValue | null>(null);

export function usePortal(): PortalContextValue {
  const value = useContext(PortalContext);
  if (!value) throw new Error('usePortal outside the portal');
  return value;
}
