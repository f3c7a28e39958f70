/** One check of the quiescent platform: its name, whether it held, and the counts behind the verdict. */
export interface Check {
  readonly name: string;
  readonly held: boolean;
  readonly detail: string;
}

/** The rows a check reads of one service's event store. */
export interface StoredEvent {
  readonly service: string;
  readonly position: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly streamId: string;
  readonly version: number;
  readonly aggregateId: string;
  readonly causationId: string;
  readonly topic: string;
  readonly payload: Record<string, unknown>;
}

/** Up to `count` examples of a set of anomalies, for the detail line. */
export const examples = (ids: readonly string[], count = 3): string => (ids.length === 0 ? '' : `; e.g. ${ids.slice(0, count).join(', ')}`);
