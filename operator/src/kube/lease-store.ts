import { V1MicroTime, type CoordinationV1Api, type V1Lease } from '@kubernetes/client-node';
import { z } from 'zod';
import { isNotFound } from './api-errors.js';

/** The fields of a coordination.k8s.io/v1 Lease that leader election uses. */
export interface LeaseRecord {
  /** Empty when the last holder released the lease. */
  readonly holder: string;
  readonly durationMs: number;
  readonly acquireTime: Date;
  readonly renewTime: Date;
  readonly transitions: number;
}

/** A lease as read, with the resourceVersion that guards its replacement. */
export interface StoredLease {
  readonly record: LeaseRecord;
  readonly resourceVersion: string;
}

/** Reads and writes one Lease. `create` and `replace` fail with 409 when another replica won the race. */
export interface LeaseStore {
  get(): Promise<StoredLease | undefined>;
  create(record: LeaseRecord): Promise<void>;
  replace(record: LeaseRecord, resourceVersion: string): Promise<void>;
}

// client-node types MicroTime fields as dates but hands back the wire strings, so coerce either.
const leaseShape = z.object({
  metadata: z.object({ resourceVersion: z.string() }),
  spec: z
    .object({
      holderIdentity: z.string().optional(),
      leaseDurationSeconds: z.number().int().optional(),
      acquireTime: z.coerce.date().optional(),
      renewTime: z.coerce.date().optional(),
      leaseTransitions: z.number().int().optional(),
    })
    .optional(),
});

/** A {@link LeaseStore} for the Lease `name` in `namespace`. */
export function leaseStore(api: CoordinationV1Api, namespace: string, name: string): LeaseStore {
  const body = (record: LeaseRecord, resourceVersion?: string): V1Lease => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...(resourceVersion === undefined ? {} : { resourceVersion }) },
    spec: {
      holderIdentity: record.holder,
      leaseDurationSeconds: Math.ceil(record.durationMs / 1000),
      acquireTime: new V1MicroTime(record.acquireTime),
      renewTime: new V1MicroTime(record.renewTime),
      leaseTransitions: record.transitions,
    },
  });

  return {
    async get() {
      let raw: unknown;
      try {
        raw = await api.readNamespacedLease({ name, namespace });
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
      const lease = leaseShape.parse(raw);
      const spec = lease.spec ?? {};
      const epoch = new Date(0);
      return {
        resourceVersion: lease.metadata.resourceVersion,
        record: {
          holder: spec.holderIdentity ?? '',
          durationMs: (spec.leaseDurationSeconds ?? 0) * 1000,
          acquireTime: spec.acquireTime ?? epoch,
          renewTime: spec.renewTime ?? epoch,
          transitions: spec.leaseTransitions ?? 0,
        },
      };
    },
    async create(record) {
      await api.createNamespacedLease({ namespace, body: body(record) });
    },
    async replace(record, resourceVersion) {
      await api.replaceNamespacedLease({ name, namespace, body: body(record, resourceVersion) });
    },
  };
}
