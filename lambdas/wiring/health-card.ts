/**
 * Composition of the health card: at the hub, the HealthCards table, the province secret (SSM
 * SecureString, read once per cold start) and the MPI's stores; at a city, the hub's internal API and
 * the city's auditor.
 */
import { dynamoAuditRepository } from "#adapters/audit-repository.ts";
import { dynamoHealthCardStore } from "#adapters/health-card-store.ts";
import { provinceSecret } from "#adapters/province-secret.ts";
import { encounterVisits } from "#adapters/record-locator.ts";
import { subscriptionHub } from "#adapters/subscription-hub.ts";
import { clock } from "#shared/clock.ts";
import { nodeEnv, tableName } from "#shared/env.ts";
import { hubClient } from "#shared/hub-client.ts";
import type { HealthCardDeps } from "#use-cases/health-card.ts";
import { mpiCardResidents } from "#use-cases/health-card-residents.ts";
import { cityAuditor } from "#wiring/audit.ts";
import { mpiDeps } from "./mpi.ts";

export function hubHealthCardWiring(): { deps: HealthCardDeps; auditRepository: ReturnType<typeof dynamoAuditRepository> } {
  const node = nodeEnv();
  const deps: HealthCardDeps = {
    cards: dynamoHealthCardStore(tableName("HealthCards"), tableName("AuditEvents")),
    secret: provinceSecret(node.ssmPrefix),
    residents: mpiCardResidents(mpiDeps()),
    visits: encounterVisits(tableName("RecordLocator")),
    now: () => clock.now(),
  };
  return { deps, auditRepository: dynamoAuditRepository(tableName("AuditEvents")) };
}

/** A city's card operations: forwarded to the hub's internal API naming the hospital and the city, audited here */
export function cityHealthCardWiring() {
  const node = nodeEnv();
  const hub = hubClient(node.ssmPrefix);
  return { hub, forwarder: subscriptionHub(hub, node.nodeId), auditor: cityAuditor(node) };
}
