/** Plain domain records shared by the API, the repositories, activities and workflows. */

export type StringMap = Record<string, string>;

export interface Tenant {
  readonly id: string;
  readonly metadata: StringMap;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface Destination {
  readonly id: string;
  readonly tenantId: string;
  readonly type: string;
  /** `["*"]` or a list of topics. */
  readonly topics: string[];
  readonly filter: Record<string, unknown> | null;
  readonly config: StringMap;
  /** Decrypted; encrypted at rest. */
  readonly credentials: StringMap;
  /** Decrypted; encrypted at rest. */
  readonly deliveryMetadata: StringMap;
  readonly metadata: StringMap;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly disabledAt: Date | null;
  /** True while destination health counts consecutive failures for this destination. */
  readonly failing: boolean;
}

export interface EventRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly topic: string;
  readonly time: Date;
  readonly eligibleForRetry: boolean;
  readonly metadata: StringMap;
  /** The event payload: a JSON object. */
  readonly data: Record<string, unknown>;
  /** Publish-time routing hint, if the publisher named one destination. */
  readonly destinationId: string | null;
  readonly matchedDestinationIds: string[];
  readonly createdAt: Date;
  /** Set once a delivery workflow was started for every matched destination. */
  readonly dispatchedAt: Date | null;
}

export type AttemptStatus = 'success' | 'failed';

export interface Attempt {
  /** Deterministic per delivery workflow, attempt number and send (see `attemptId`). */
  readonly id: string;
  readonly tenantId: string;
  readonly eventId: string;
  readonly destinationId: string;
  readonly destinationType: string;
  readonly attemptNumber: number;
  readonly manual: boolean;
  readonly status: AttemptStatus;
  /** HTTP status as a string, `OK`, `ERR`, or a failure class such as `timeout`. */
  readonly code: string;
  readonly responseData: Record<string, unknown> | null;
  readonly time: Date;
  /** True on the failed attempt after which no automatic retry follows. */
  readonly exhaustedRetries: boolean;
  /**
   * 1 for the first send of an attempt number; 2, 3, … when a worker stopped during an earlier send
   * of the same number (that one is recorded as `interrupted`) and the attempt was sent again.
   */
  readonly sendSeq?: number;
}
