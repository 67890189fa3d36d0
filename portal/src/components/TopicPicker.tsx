import { useTopics } from '../queries.js';
import { ErrorNotice } from './common.js';

/** Topics to subscribe to, from GET /topics; "All topics" is `*`. */
export function TopicPicker({ value, onChange }: { value: readonly string[]; onChange: (topics: string[]) => void }) {
  const topics = useTopics();
  const all = value.includes('*');
  const toggle = (topic: string, on: boolean) => onChange(on ? [...value.filter((t) => t !== '*'), topic] : value.filter((t) => t !== topic));
  return (
    <fieldset>
      <legend>Topics</legend>
      {topics.error ? <ErrorNotice error={topics.error} /> : null}
      <label className="check">
        <input type="checkbox" checked={all} onChange={(e) => onChange(e.target.checked ? ['*'] : [])} /> All topics
      </label>
      {(topics.data ?? []).map((t) => (
        <label key={t} className="check">
          <input type="checkbox" checked={!all && value.includes(t)} disabled={all} onChange={(e) => toggle(t, e.target.checked)} /> {t}
        </label>
      ))}
      {!topics.isPending && (topics.data ?? []).length === 0 ? <p className="hint">No topics are configured: this destination receives every event.</p> : null}
    </fieldset>
  );
}
