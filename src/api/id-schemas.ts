/**
 * Ids at the API boundary: schemas for ids a caller chooses or names in a body, and the path-id
 * guard. Limits and their reason live in `domain/id-limits.ts`.
 */
import { z } from 'zod';
import {
  MAX_DESTINATION_ID_LENGTH, MAX_TENANT_ID_LENGTH, asciiIdProblem, eventIdProblem,
} from '../domain/id-limits.js';
import { notFound } from './errors.js';
import { textProblem } from './json-guard.js';
import { param } from './validate.js';

const checked = (problemOf: (id: string) => string | null) =>
  z.string().superRefine((id, ctx) => {
    const problem = problemOf(id);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A new tenant's id: 1–255 of `A-Z a-z 0-9 _ . : -`. */
export const tenantIdSchema = checked((id) => asciiIdProblem(id, MAX_TENANT_ID_LENGTH));

/** A caller-chosen destination id, same rule as tenant ids. */
export const destinationIdSchema = checked((id) => asciiIdProblem(id, MAX_DESTINATION_ID_LENGTH));

/** An event id, chosen at publish or named in a retry: any text up to 255 UTF-8 bytes. */
export const eventIdSchema = checked(eventIdProblem);

/**
 * A tenant or destination named in a body rather than created: only the length is checked, so a
 * name that cannot exist is simply not found, as for any other unknown id.
 */
export const idReferenceSchema = (maxLength: number) =>
  z.string().min(1, 'is required').max(maxLength, `must be at most ${maxLength} characters`);

export const tenantReferenceSchema = idReferenceSchema(MAX_TENANT_ID_LENGTH);
export const destinationReferenceSchema = idReferenceSchema(MAX_DESTINATION_ID_LENGTH);

/**
 * A path id used to look a row up. One that no row can have (Postgres text cannot hold NUL) answers
 * as a missing row would, before any query runs.
 */
export function pathId(req: { params: Record<string, unknown> }, name: string, missingMessage: string): string {
  const id = param(req, name);
  if (textProblem(id) !== null) throw notFound(missingMessage);
  return id;
}
