import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ApiError, createApiClient } from './api.js';
import { App } from './App.js';
import { PortalContext, type PortalConfig } from './portal-context.js';
import { chooseTheme, isExpired, reauthTarget, rememberTheme, startSession, type Theme } from './session.js';
import './styles.css';

const BASE = '/portal';

function SignedOut({ target }: { target: string | null }) {
  useEffect(() => {
    if (target) window.location.replace(target);
  }, [target]);
  return (
    <main className="signed-out">
      <h1>Your session has ended</h1>
      <p>{target ? 'Taking you back to sign in again…' : 'Open the portal again from the application that sent you here.'}</p>
    </main>
  );
}

function Portal({ config, initialTheme, token, tenantId }: { config: PortalConfig; initialTheme: Theme; token: string; tenantId: string }) {
  const [theme, setThemeState] = useState<Theme>(initialTheme);
  const [signedOut, setSignedOut] = useState(false);
  const api = useMemo(() => createApiClient({ token, tenantId, onUnauthorized: () => setSignedOut(true) }), [token, tenantId]);
  const queryClient = useMemo(() => new QueryClient({
    defaultOptions: {
      queries: { staleTime: 5_000, retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2 },
    },
  }), []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const setTheme = (next: Theme) => {
    rememberTheme(sessionStorage, next);
    setThemeState(next);
  };
  if (signedOut) return <SignedOut target={reauthTarget(config)} />;
  return (
    <PortalContext.Provider value={{ api, config, theme, setTheme }}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter basename={BASE}>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </PortalContext.Provider>
  );
}

function applyBranding(config: PortalConfig): void {
  if (config.brandColor) document.documentElement.style.setProperty('--brand', config.brandColor);
  if (config.faviconUrl) document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.setAttribute('href', config.faviconUrl);
  document.title = config.organizationName ? `${config.organizationName} · Event destinations` : 'Event destinations';
}

async function boot(): Promise<void> {
  const config = await fetch(`${BASE}/config.json`).then((r) => r.json() as Promise<PortalConfig>);
  applyBranding(config);
  const { session, cleanUrl, theme: chosen } = startSession(window.location.href, sessionStorage);
  if (cleanUrl) window.history.replaceState(null, '', cleanUrl);
  const theme = chooseTheme(config.forceTheme, chosen, window.matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = theme;
  const root = createRoot(document.getElementById('root')!);
  if (!session || isExpired(session, Date.now())) {
    root.render(<SignedOut target={reauthTarget(config)} />);
    return;
  }
  root.render(
    <StrictMode>
      <Portal config={config} initialTheme={theme} token={session.token} tenantId={session.tenantId} />
    </StrictMode>,
  );
}

void boot();
