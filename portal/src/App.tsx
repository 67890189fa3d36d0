import { lazy, Suspense } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import { ActivityPage } from './pages/ActivityPage.js';
import { AttemptPage } from './pages/AttemptPage.js';
import { DestinationPage } from './pages/DestinationPage.js';
import { DestinationsPage } from './pages/DestinationsPage.js';
import { usePortal } from './portal-context.js';

// The wizard carries the form generator and its JSON Schema validator: loaded when opened.
const CreateDestinationPage = lazy(() => import('./pages/CreateDestinationPage.js'));

function Header() {
  const { config, theme, setTheme } = usePortal();
  const logo = theme === 'dark' ? config.logoDark : config.logo;
  return (
    <header className="top">
      <div className="brand">
        {logo ? <img src={logo} alt={config.organizationName ?? 'Logo'} className="logo" /> : null}
        {config.organizationName && !logo ? <span className="org">{config.organizationName}</span> : null}
        <span className="product">Event destinations</span>
      </div>
      <nav aria-label="Main">
        <NavLink to="/" end>Destinations</NavLink>
        <NavLink to="/activity">Activity</NavLink>
      </nav>
      <div className="top-actions">
        {config.forceTheme ? null : (
          <button type="button" className="ghost" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>
            {theme === 'dark' ? '☀' : '☾'}
          </button>
        )}
        {config.refererUrl ? <a href={config.refererUrl} className="back">Back{config.organizationName ? ` to ${config.organizationName}` : ''}</a> : null}
      </div>
    </header>
  );
}

export function App() {
  const { config } = usePortal();
  return (
    <>
      <a href="#main" className="skip">Skip to content</a>
      <Header />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p role="status">Loading…</p>}>
          <Routes>
            <Route path="/" element={<DestinationsPage />} />
            <Route path="/new" element={<CreateDestinationPage />} />
            <Route path="/activity" element={<ActivityPage />} />
            <Route path="/destinations/:destinationId/attempts/:attemptId" element={<AttemptPage />} />
            <Route path="/destinations/:destinationId/:tab?" element={<DestinationPage />} />
            <Route path="*" element={<p>Nothing here. <NavLink to="/">Back to destinations</NavLink></p>} />
          </Routes>
        </Suspense>
      </main>
      {config.disableOutpostBranding ? null : <footer className="powered">Powered by Herald</footer>}
    </>
  );
}
