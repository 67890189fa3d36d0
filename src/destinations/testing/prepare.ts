/** What `prepare` refuses, for provider validation tests. */
import type { StringMap } from '../../domain/types.js';
import { DestinationValidationError } from '../errors.js';
import type { DestinationProvider, DestinationRole } from '../types.js';

/**
 * The problems `prepare` reports for this config and these credentials, `[]` when it accepts
 * them. Errors other than a DestinationValidationError are thrown on.
 */
export function problemsOf(provider: DestinationProvider, config: StringMap, credentials: StringMap, role: DestinationRole = 'admin'): string[] {
  try {
    provider.prepare({ config, credentials, role, now: new Date() });
    return [];
  } catch (error) {
    if (!(error instanceof DestinationValidationError)) throw error;
    return [...error.data];
  }
}
