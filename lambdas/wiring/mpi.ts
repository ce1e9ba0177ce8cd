/**
 * Composition of the master patient index: at the hub, the DynamoDB stores (tables named by the
 * function's environment) and the engine over their resident views; at a city, the hub's MPI
 * through the internal API.
 */

import { dynamoActivityCounter } from "#adapters/activity.ts";
import { dynamoAuditRepository } from "#adapters/audit-repository.ts";
import { patientHub } from "#adapters/patient-hub.ts";
import { dynamoPatientRecordStore } from "#adapters/patient-records.ts";
import { dynamoResidentStore } from "#adapters/resident-store.ts";
import { MasterPatientIndex } from "#domain/mpi/engine.ts";
import { clock } from "#shared/clock.ts";
import { nodeEnv, tableName } from "#shared/env.ts";
import { hubClient } from "#shared/hub-client.ts";
import { type MpiDeps, ResidentViews } from "#use-cases/mpi/residents.ts";
import { cityAuditor } from "#wiring/audit.ts";

/**
 * The index's stores, without the matching engine: resolving residents (subscriptions, the matcher)
 * never compares names, so its functions do not carry the engine and its pinyin dictionary.
 */
export const mpiDeps = (): MpiDeps => ({
  residents: dynamoResidentStore(tableName("Residents"), tableName("ResidentKeys")),
  records: dynamoPatientRecordStore(tableName("PatientRecords"), tableName("PatientSearch")),
  now: () => clock.now(),
});

/** The stores and the matching engine over their resident views */
export function mpiWiring(): { deps: MpiDeps; mpi: MasterPatientIndex } {
  const deps = mpiDeps();
  return { deps, mpi: new MasterPatientIndex(new ResidentViews(deps), deps.residents) };
}

/** The hub's feed handler: the index and its activity counter */
export function hubFeedWiring() {
  return { ...mpiWiring(), activity: dynamoActivityCounter(tableName("Activity")) };
}

/** A city's patient handlers: the hub (practitioner checks), its MPI, and the city's auditor */
export function cityPatientWiring() {
  const node = nodeEnv();
  const hub = hubClient(node.ssmPrefix);
  return { cityId: node.nodeId, hub, patients: patientHub(hub), auditor: cityAuditor(node) };
}

/** The operators' stewardship API: the index, and the hub's audit trail */
export function stewardshipWiring() {
  return { ...mpiWiring(), auditRepository: dynamoAuditRepository(tableName("AuditEvents")) };
}
