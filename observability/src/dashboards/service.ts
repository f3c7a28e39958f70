import type { ServiceName } from '@msa/contracts';
import { ownSections } from './own-sections.js';
import type { DashboardSpec } from './panels.js';
import { consumersSection, deadLettersSection, httpSection, outboxSection, processSection } from './sections.js';

/** One service's dashboard: its HTTP API, consumers, outbox, dead letters, its own metrics and its process. */
export function serviceDashboard(service: ServiceName): DashboardSpec {
  return {
    uid: `msa-service-${service}`,
    title: `MSA / ${service} service`,
    description: `The ${service} service: its HTTP API, consumer groups, outbox, dead letters, its own metrics and its Node.js process.`,
    tags: ['msa', 'service', service],
    sections: [
      httpSection(service),
      consumersSection(service),
      outboxSection(service),
      deadLettersSection(service),
      ...ownSections[service].map((section) => section(service)),
      processSection(service),
    ],
  };
}
