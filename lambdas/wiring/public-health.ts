/**
 * Composition of public health (docs/public-health.md): at the hub, the CaseReports table, the cities'
 * FEP inboxes (reminders) and the department exchange (disease control); at a city, the hub's PIXm
 * (the resident a report names) and its internal API.
 */
import { dynamoCaseReportStore } from "#adapters/case-report-store.ts";
import { clinicalNetwork } from "#adapters/clinical-network.ts";
import { inboxSender } from "#adapters/inbox-sender.ts";
import { dynamoMonthlyFigures } from "#adapters/monthly-figures.ts";
import { clock } from "#shared/clock.ts";
import { discovery } from "#shared/discovery.ts";
import { nodeEnv, tableName } from "#shared/env.ts";
import { resolveEmpi } from "#use-cases/documents/resident.ts";
import type { CaseReportDeps } from "#use-cases/public-health/case-reports.ts";
import { type MonthlyDeps, residentSexes } from "#use-cases/public-health/monthly.ts";
import { cityAuditor } from "./audit.ts";
import { cityNode } from "./city.ts";
import { departmentExchange } from "./departments.ts";
import { mpiDeps } from "./mpi.ts";

/** The hub's case reports: sent to disease control through the department exchange */
export const caseReportDeps = (): CaseReportDeps => ({
  store: dynamoCaseReportStore(tableName("CaseReports")),
  exchange: departmentExchange(),
  inbox: inboxSender(discovery(nodeEnv().ssmPrefix)),
  now: () => clock.now(),
});

/** A city's case reporting: the node, the hub's internal API, its auditor, and the resident an identifier names (the hub's PIXm) */
export function cityCaseReporting() {
  const { node, cityId, hub } = cityNode();
  const network = clinicalNetwork(node.ssmPrefix, hub);
  return {
    cityId,
    hub,
    auditor: cityAuditor(node),
    resolveEmpi: (id: { system: string; value: string }, hospitalId: string) => resolveEmpi(network, id, hospitalId),
  };
}

/** The hub's monthly figures: the MeasureReports table, the record locator's encounters, the cities, the case reports; sent to the health commission */
export const monthlyDeps = (): MonthlyDeps => ({
  figures: dynamoMonthlyFigures(tableName("MeasureReports"), tableName("RecordLocator"), discovery(nodeEnv().ssmPrefix)),
  reports: dynamoCaseReportStore(tableName("CaseReports")),
  exchange: departmentExchange(),
  sexes: residentSexes(mpiDeps()),
  now: () => clock.now(),
});
