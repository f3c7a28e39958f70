import { SERVICES } from '@msa/bench-kit';
import { FAULT_KINDS, type Fault, type FaultKind, type Target } from './faults.js';

/** How often each kind is drawn, against the others: a killed service is the commonest failure. */
const WEIGHTS: Readonly<Record<FaultKind, number>> = {
  'service-kill': 30,
  'service-freeze': 5,
  'kafka-kill': 10,
  'postgres-crash': 10,
  'redis-restart': 10,
  'ferretdb-restart': 10,
  'mailpit-down': 8,
  'gateway-slow': 6,
  'gateway-failing': 6,
};

/** The down-time of each kind in milliseconds, drawn from [min, max]; a freeze's is the setting's. */
const HOLD_MS: Readonly<Record<FaultKind, readonly [number, number]>> = {
  'service-kill': [0, 0],
  'service-freeze': [0, 0],
  'kafka-kill': [1_000, 5_000],
  'postgres-crash': [500, 3_000],
  'redis-restart': [1_000, 5_000],
  'ferretdb-restart': [1_000, 5_000],
  'mailpit-down': [5_000, 20_000],
  'gateway-slow': [10_000, 20_000],
  'gateway-failing': [10_000, 20_000],
};

function targetsOf(kind: FaultKind): readonly Target[] {
  switch (kind) {
    case 'service-kill':
    case 'service-freeze':
      return SERVICES;
    case 'kafka-kill':
      return ['kafka'];
    case 'postgres-crash':
      return ['postgres'];
    case 'redis-restart':
      return ['redis'];
    case 'ferretdb-restart':
      return ['ferretdb'];
    case 'mailpit-down':
      return ['mailpit'];
    case 'gateway-slow':
    case 'gateway-failing':
      return ['payment'];
    default: {
      const never: never = kind;
      throw new Error(`unknown fault ${String(never)}`);
    }
  }
}

/** The moments of `count` faults over `seconds`, uniformly at random, in order (milliseconds from the start). */
export function faultMoments(random: () => number, count: number, seconds: number): number[] {
  return Array.from({ length: count }, () => random() * seconds * 1_000).toSorted((a, b) => a - b);
}

/**
 * Draws a fault on a target no fault is in progress on, or none when every kind's targets are busy.
 * Kinds not drawn yet go first, so a storm of at least nine faults has every kind.
 */
export function drawFault(random: () => number, busy: ReadonlySet<Target>, drawn: ReadonlySet<FaultKind>, freezeMs: number): Fault | undefined {
  const free = (kind: FaultKind) => targetsOf(kind).filter((target) => !busy.has(target));
  const open = FAULT_KINDS.filter((kind) => free(kind).length > 0);
  const fresh = open.filter((kind) => !drawn.has(kind));
  const pool = fresh.length > 0 ? fresh : open;
  const total = pool.reduce((sum, kind) => sum + WEIGHTS[kind], 0);
  let pick = random() * total;
  const kind = pool.find((candidate) => (pick -= WEIGHTS[candidate]) < 0) ?? pool.at(-1);
  if (kind === undefined) return undefined;
  const targets = free(kind);
  const target = targets[Math.floor(random() * targets.length)] ?? targets[0];
  if (target === undefined) return undefined;
  const [min, max] = HOLD_MS[kind];
  const holdMs = kind === 'service-freeze' ? freezeMs : Math.round(min + random() * (max - min));
  return { kind, target, holdMs };
}

/** A fault of `kind` on one of its targets, for a recovery probe. */
export function faultOf(random: () => number, kind: FaultKind, freezeMs: number): Fault {
  const drawnOthers = new Set(FAULT_KINDS.filter((other) => other !== kind));
  const fault = drawFault(random, new Set(), drawnOthers, freezeMs);
  if (fault === undefined) throw new Error(`no target for ${kind}`);
  return fault;
}
