import { decodeCursor, encodeCursor } from './cursor.js';
import { InvalidCursorError } from './errors.js';
import type { QueryParams } from './query-params.js';

/**
 * Keyset (seek) pagination shared by the event and attempt lists: opaque `next`/`prev` cursors that
 * stay stable while rows are inserted, unlike offsets.
 */

export type SortDirection = 'asc' | 'desc';

export interface PageRequest {
  readonly limit: number;
  /** Display order of the page. */
  readonly dir: SortDirection;
  /** Cursor from a previous page's `next`; an empty string counts as absent. */
  readonly next?: string | undefined;
  /** Cursor from a previous page's `prev`; an empty string counts as absent. */
  readonly prev?: string | undefined;
}

/** `next` is null when no row follows the page; `prev` is null on the first page. */
export interface Page<T> {
  readonly models: T[];
  readonly next: string | null;
  readonly prev: string | null;
}

/** A row's sort key: its time as microsecond UTC text (see `cursorTimeSql`), then its tiebreak ids. */
export type Position = readonly string[];

export interface KeysetSpec {
  /** Cursor resource prefix, e.g. `evt`. */
  readonly resource: string;
  /** Number of entries in an encoded position. */
  readonly positionLength: number;
  /** Sort-key SQL expressions, time first; may be a prefix of the position when the rest is fixed by the filter. */
  readonly columns: readonly string[];
}

export interface KeysetPlan {
  readonly orderBy: string;
  /** Seek predicate, or null on the first page. */
  readonly seek: string | null;
  /** Rows to fetch: one more than the limit, to learn whether another page exists. */
  readonly fetchLimit: number;
  toPage<R, T>(rows: readonly R[], positionOf: (row: R) => Position, toModel: (row: R) => T): Page<T>;
}

/** Renders a timestamptz column as UTC text with microseconds, so cursors keep Postgres precision (a JS Date keeps only ms). */
export function cursorTimeSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export function planKeyset(spec: KeysetSpec, page: PageRequest, params: QueryParams): KeysetPlan {
  if (!Number.isInteger(page.limit) || page.limit < 1) {
    throw new RangeError(`page limit must be a positive integer, got ${page.limit}`);
  }
  if (page.next && page.prev) {
    throw new InvalidCursorError(spec.resource, 'next and prev are mutually exclusive');
  }
  const mode = page.prev ? 'prev' : page.next ? 'next' : 'first';
  const cursor = page.prev || page.next;
  const position = cursor ? decodePosition(spec, cursor) : null;
  const scanDir: SortDirection = mode === 'prev' ? (page.dir === 'asc' ? 'desc' : 'asc') : page.dir;
  const keys = spec.columns.join(', ');
  const seek = position
    ? `(${keys}) ${scanDir === 'desc' ? '<' : '>'} (${spec.columns
        .map((_, i) => (i === 0 ? `${params.add(position[0])}::timestamptz` : params.add(position[i])))
        .join(', ')})`
    : null;
  const encode = (p: Position) => encodeCursor(spec.resource, JSON.stringify(p));

  return {
    orderBy: spec.columns.map((column) => `${column} ${scanDir.toUpperCase()}`).join(', '),
    seek,
    fetchLimit: page.limit + 1,
    toPage(rows, positionOf, toModel) {
      const hasMore = rows.length > page.limit;
      const pageRows = rows.slice(0, page.limit);
      if (mode === 'prev') pageRows.reverse();
      const first = pageRows[0];
      const last = pageRows[pageRows.length - 1];
      const edge = (row: (typeof pageRows)[number] | undefined) => (row === undefined ? null : encode(positionOf(row)));
      return {
        models: pageRows.map(toModel),
        next: mode === 'prev' ? edge(last) : hasMore ? edge(last) : null,
        prev: mode === 'first' ? null : mode === 'next' ? edge(first) : hasMore ? edge(first) : null,
      };
    },
  };
}

const TIME_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function decodePosition(spec: KeysetSpec, cursor: string): Position {
  const text = decodeCursor(spec.resource, cursor);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidCursorError(spec.resource, 'unreadable position');
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.length === spec.positionLength &&
    parsed.every((part) => typeof part === 'string') &&
    TIME_TEXT.test(parsed[0] as string) &&
    !Number.isNaN(Date.parse(parsed[0] as string));
  if (!valid) {
    throw new InvalidCursorError(spec.resource, 'unreadable position');
  }
  return parsed as string[];
}
