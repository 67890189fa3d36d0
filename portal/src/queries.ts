/**
 * Data fetching with caching (TanStack Query): one hook per API read the pages share. Log and
 * metrics reads name the tenant although its token already confines them: an API run without
 * API_KEY (every caller is admin) must still show a tenant only its own.
 */
import { useQuery } from '@tanstack/react-query';
import { destinationPath, type Attempt, type AttemptPage, type Destination, type DestinationType, type EventPage, type Metrics, type Timeline } from './api.js';
import { usePortal } from './portal-context.js';

export function useDestinations() {
  const { api } = usePortal();
  return useQuery({ queryKey: ['destinations'], queryFn: () => api.get<Destination[]>(destinationPath(api.tenantId)) });
}

export function useDestination(id: string) {
  const { api } = usePortal();
  return useQuery({ queryKey: ['destinations', id], queryFn: () => api.get<Destination>(destinationPath(api.tenantId, id)) });
}

export function useDestinationTypes() {
  const { api } = usePortal();
  return useQuery({ queryKey: ['destination-types'], queryFn: () => api.get<DestinationType[]>('/destination-types'), staleTime: Infinity });
}

export function useTopics() {
  const { api } = usePortal();
  return useQuery({ queryKey: ['topics'], queryFn: () => api.get<string[] | null>('/topics'), staleTime: Infinity });
}

export interface AttemptFilters {
  readonly destinationId?: string;
  readonly status?: 'success' | 'failed';
  readonly topic?: string;
  readonly cursor?: { readonly next?: string; readonly prev?: string };
}

export const PAGE_SIZE = 20;

export function useAttempts(filters: AttemptFilters) {
  const { api } = usePortal();
  return useQuery({
    queryKey: ['attempts', filters],
    queryFn: () => api.get<AttemptPage>('/attempts', {
      tenant_id: [api.tenantId],
      destination_id: filters.destinationId ? [filters.destinationId] : undefined,
      status: filters.status, topic: filters.topic ? [filters.topic] : undefined,
      next: filters.cursor?.next, prev: filters.cursor?.prev, limit: String(PAGE_SIZE), include: ['event'],
    }),
    placeholderData: (previous) => previous,
    refetchInterval: 5_000,
  });
}

export function useEvents(filters: Pick<AttemptFilters, 'destinationId' | 'topic' | 'cursor'>) {
  const { api } = usePortal();
  return useQuery({
    queryKey: ['events', filters],
    queryFn: () => api.get<EventPage>('/events', {
      tenant_id: [api.tenantId],
      destination_id: filters.destinationId ? [filters.destinationId] : undefined, topic: filters.topic ? [filters.topic] : undefined,
      next: filters.cursor?.next, prev: filters.cursor?.prev, limit: String(PAGE_SIZE),
    }),
    placeholderData: (previous) => previous,
    refetchInterval: 5_000,
  });
}

export function useAttempt(destinationId: string, attemptId: string) {
  const { api } = usePortal();
  return useQuery({
    queryKey: ['attempt', destinationId, attemptId],
    queryFn: () => api.get<Attempt>(destinationPath(api.tenantId, destinationId, `/attempts/${encodeURIComponent(attemptId)}`), { include: ['event.data', 'response_data'] }),
  });
}

/** Polls while the delivery may still change: a retry is scheduled, or a manual retry is awaited. */
export function useTimeline(destinationId: string, eventId: string | undefined, awaiting: boolean) {
  const { api } = usePortal();
  return useQuery({
    queryKey: ['timeline', destinationId, eventId],
    enabled: eventId !== undefined,
    queryFn: () => api.get<Timeline>(destinationPath(api.tenantId, destinationId, `/events/${encodeURIComponent(eventId ?? '')}/timeline`)),
    refetchInterval: (query) => (awaiting || query.state.data?.status === 'retrying' || query.state.data?.status === 'pending' ? 1_000 : false),
  });
}

export const METRICS_WINDOW_DAYS = 7;

/** Attempt metrics of the last week, optionally by one dimension, for one destination or all. */
export function useAttemptMetrics(options: { destinationId?: string; dimension?: 'code' | 'topic' | 'destination_id'; granularity?: string }) {
  const { api } = usePortal();
  return useQuery({
    queryKey: ['metrics', options],
    queryFn: () => {
      const end = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000);
      const start = new Date(end.getTime() - METRICS_WINDOW_DAYS * 86_400_000);
      return api.get<Metrics>('/metrics/attempts', {
        tenant_id: [api.tenantId],
        'time[start]': start.toISOString(), 'time[end]': end.toISOString(),
        measures: ['count', 'successful_count', 'failed_count', 'error_rate'],
        dimensions: options.dimension ? [options.dimension] : undefined,
        'filters[destination_id]': options.destinationId ? [options.destinationId] : undefined,
        granularity: options.granularity,
      });
    },
    refetchInterval: 15_000,
  });
}
