import { useState } from 'react';
import { AttemptsList, EventsList } from '../components/AttemptsList.js';

export function ActivityPage() {
  const [view, setView] = useState<'attempts' | 'events'>('attempts');
  return (
    <>
      <div className="page-head">
        <h1>Activity</h1>
        <div role="group" aria-label="Show" className="segmented">
          <button type="button" aria-pressed={view === 'attempts'} onClick={() => setView('attempts')}>Attempts</button>
          <button type="button" aria-pressed={view === 'events'} onClick={() => setView('events')}>Events</button>
        </div>
      </div>
      {view === 'attempts' ? <AttemptsList /> : <EventsList />}
    </>
  );
}
