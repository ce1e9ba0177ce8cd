/**
 * Composition of telemedicine: at the hub, the Telemedicine table, the registry (experts, tiers), the
 * MPI and record locator (the resident and their documents) and the cities' push queues (the FEP
 * inbox); at a city, the hub's internal API and the city's auditor.
 */
import { inboxSender } from "#adapters/inbox-sender.ts";
import { recordLocator } from "#adapters/record-locator.ts";
import { subscriptionHub } from "#adapters/subscription-hub.ts";
import { dynamoSlotStore } from "#adapters/telemedicine-slots.ts";
import { dynamoTaskStore } from "#adapters/telemedicine-store.ts";
import type { TelemedicineDeps } from "#ports/telemedicine.ts";
import { clock } from "#shared/clock.ts";
import { discovery } from "#shared/discovery.ts";
import { nodeEnv, tableName } from "#shared/env.ts";
import { hubClient } from "#shared/hub-client.ts";
import { logger } from "#shared/logger.ts";
import { gaugeTelemedicineNoExpert } from "#shared/metrics.ts";
import { locatorResidents, registryDirectory } from "#use-cases/telemedicine/directory.ts";
import { telemedicineDocuments } from "#use-cases/telemedicine/tasks.ts";
import { cityAuditor } from "#wiring/audit.ts";
import { mpiDeps } from "./mpi.ts";
import { facilityStore, registryStore } from "./registry.ts";

export function hubTelemedicineDeps(): TelemedicineDeps {
  const table = dynamoTaskStore(tableName("Telemedicine"));
  return {
    tasks: table,
    slots: dynamoSlotStore(tableName("Telemedicine")),
    // experts, cities and the provincial set reused 60 s: a registry change is dispatched to within a minute
    directory: registryDirectory(registryStore(), facilityStore(), () => table.provincialHospitals(), 60_000),
    residents: locatorResidents(mpiDeps(), recordLocator(tableName("RecordLocator"))),
    inbox: inboxSender(discovery(nodeEnv().ssmPrefix)),
    alarm: (noExpert) => {
      if (noExpert > 0) logger.warn("telemedicine Tasks without an expert", { noExpert });
      gaugeTelemedicineNoExpert(noExpert);
    },
    now: () => clock.now(),
  };
}

/** The consent seam: the documents a hospital's open owned Tasks open to it (use-cases/consent/registry.ts) */
export function telemedicineDocumentSource() {
  const tasks = dynamoTaskStore(tableName("Telemedicine"));
  return (empis: readonly string[], hospitalId: string) => telemedicineDocuments(tasks, empis, hospitalId);
}

/** A city's telemedicine routes: forwarded to the hub's internal API naming the hospital and the city, audited here */
export function cityTelemedicineWiring() {
  const node = nodeEnv();
  const hub = hubClient(node.ssmPrefix);
  return { hub, relay: subscriptionHub(hub, node.nodeId), auditor: cityAuditor(node) };
}
