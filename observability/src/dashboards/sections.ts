import { metrics } from '../catalog.js';
import { orZero, quantile, rate, selector, sumBy } from '../promql.js';
import type { Section } from './panels.js';

const { platform, process } = metrics;
/** Matches the API's routes: health checks and scrapes left out. */
export const apiRoutes = { route: { not: /\/health\/.*|\/metrics/ } } as const;

/** Requests per second, p99 and the share of 5xx answers of one program's HTTP API. */
export function httpSection(service: string): Section {
  const requests = `${platform.httpRequestDuration}_count`;
  return {
    title: 'HTTP',
    panels: [
      {
        title: 'Requests per second',
        description: 'Requests answered, by route template and status (health checks and scrapes left out).',
        unit: 'reqps',
        queries: [{ expr: sumBy(['route', 'status'], rate(requests, { service, ...apiRoutes })), legend: '{{route}} {{status}}' }],
      },
      {
        title: 'p99 latency by route',
        description: 'The 99th percentile of request durations, by route template.',
        unit: 's',
        queries: [{ expr: quantile(0.99, platform.httpRequestDuration, ['route'], { service, ...apiRoutes }), legend: '{{route}}' }],
      },
      {
        title: 'Server errors',
        description: 'Share of requests answered 5xx.',
        unit: 'percentunit',
        queries: [
          {
            expr: `${orZero(sumBy([], rate(requests, { service, status: /5../ })))} / ${sumBy([], rate(requests, { service }))}`,
            legend: '5xx',
          },
        ],
      },
    ],
  };
}

/** What the program's consumer groups handle, retry and lag behind. */
export function consumersSection(service: string): Section {
  return {
    title: 'Consumers',
    panels: [
      {
        title: 'Messages handled per second',
        description: 'By consumer group and outcome: processed, or duplicate when the inbox had it already.',
        unit: 'ops',
        queries: [{ expr: sumBy(['group', 'outcome'], rate(platform.consumerHandled, { service })), legend: '{{group}} {{outcome}}' }],
      },
      {
        title: 'Consumer lag',
        description: 'Messages between the committed offset and the high watermark, by group and topic.',
        unit: 'short',
        queries: [{ expr: sumBy(['group', 'topic'], selector(platform.consumerLag, { service })), legend: '{{group}} {{topic}}' }],
      },
      {
        title: 'Handler retries per second',
        description: 'Handler attempts after the first, by group.',
        unit: 'ops',
        queries: [{ expr: orZero(sumBy(['group'], rate(platform.consumerRetries, { service }))), legend: '{{group}}' }],
      },
    ],
  };
}

/** The transactional outbox: how far behind Kafka's acknowledgements it runs, and what it held back. */
export function outboxSection(service: string): Section {
  return {
    title: 'Outbox',
    panels: [
      {
        title: 'Outbox lag',
        description: 'Age of the oldest event committed but not yet acknowledged by Kafka.',
        unit: 's',
        queries: [{ expr: sumBy([], selector(platform.outboxLagSeconds, { service })), legend: 'oldest unpublished' }],
      },
      {
        title: 'Events waiting and held back',
        description: 'Events not yet acknowledged, and those Kafka refuses for good with the later events of their streams.',
        unit: 'short',
        queries: [
          { expr: sumBy([], selector(platform.outboxLagEvents, { service })), legend: 'waiting' },
          { expr: sumBy([], selector(platform.outboxUnpublishableEvents, { service })), legend: 'unpublishable' },
        ],
      },
      {
        title: 'Events published per second',
        description: 'Events the relay has had acknowledged, by topic.',
        unit: 'ops',
        queries: [{ expr: sumBy(['topic'], rate(platform.outboxPublished, { service })), legend: '{{topic}}' }],
      },
    ],
  };
}

/** Dead letters the program's consumers wrote, and the writes Kafka did not take. */
export function deadLettersSection(service: string): Section {
  return {
    title: 'Dead letters',
    panels: [
      {
        title: 'Dead letters per second',
        description: 'Messages sent to <topic>.DLT, by source topic and reason.',
        unit: 'ops',
        queries: [{ expr: orZero(sumBy(['topic', 'reason'], rate(platform.dltMessages, { service }))), legend: '{{topic}} {{reason}}' }],
      },
      {
        title: 'Dead-letter write failures per second',
        description: 'Dead-letter writes Kafka did not acknowledge, by source topic and kind.',
        unit: 'ops',
        queries: [{ expr: orZero(sumBy(['topic', 'kind'], rate(platform.dltWriteFailures, { service }))), legend: '{{topic}} {{kind}}' }],
      },
    ],
  };
}

/** The Node.js process: memory, CPU and event loop. */
export function processSection(service: string): Section {
  return {
    title: 'Process',
    panels: [
      {
        title: 'Memory',
        description: 'Resident set size and V8 heap in use, per instance.',
        unit: 'bytes',
        queries: [
          { expr: selector(process.residentMemory, { service }), legend: 'resident {{instance}}' },
          { expr: sumBy(['instance'], selector(process.heapUsed, { service })), legend: 'heap {{instance}}' },
        ],
      },
      {
        title: 'CPU and event loop',
        description: 'CPU seconds per second, and the 99th percentile of the event loop delay, per instance.',
        unit: 's',
        queries: [
          { expr: rate(process.cpuSeconds, { service }), legend: 'cpu {{instance}}' },
          { expr: selector(process.eventLoopLagP99, { service }), legend: 'event loop p99 {{instance}}' },
        ],
      },
    ],
  };
}
