/** Small helpers for assembling parameterised WHERE clauses; values never enter the SQL text. */

export interface TimeRange {
  readonly gte?: Date | undefined;
  readonly lte?: Date | undefined;
  readonly gt?: Date | undefined;
  readonly lt?: Date | undefined;
}

/** Collects positional parameters while a query is assembled. */
export class QueryParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** `column` is one of `values`; no condition when `values` is undefined or empty (no filter). */
export function membershipCondition(column: string, values: readonly string[] | undefined, params: QueryParams): string[] {
  if (!values || values.length === 0) {
    return [];
  }
  // A single value as plain equality lets the planner use the index prefix and keyset order.
  return [values.length === 1 ? `${column} = ${params.add(values[0])}` : `${column} = ANY (${params.add(values)}::text[])`];
}

export function timeRangeConditions(column: string, range: TimeRange | undefined, params: QueryParams): string[] {
  const operators = { gte: '>=', lte: '<=', gt: '>', lt: '<' } as const;
  return (Object.keys(operators) as (keyof typeof operators)[])
    .filter((key) => range?.[key] !== undefined)
    .map((key) => `${column} ${operators[key]} ${params.add(range?.[key])}`);
}

export function whereClause(conditions: readonly string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}
