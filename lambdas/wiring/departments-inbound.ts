/**
 * Composition of the department exchange's inbound side and the death flow (docs/departments.md): the
 * MPI (to find residents and re-place a newborn's record), the vital status (DepartmentExchange table)
 * and the ResidentEvents queue whose consumer runs a death's cascade. Apart from wiring/departments.ts:
 * only these functions carry the MPI's matching engine.
 */
import { dynamoInboundStore, dynamoVitalStatusStore } from "#adapters/department-store.ts";
import { sendMessage } from "#adapters/queue-sender.ts";
import { RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { queueUrl, tableName } from "#shared/env.ts";
import { grantedMembers } from "#use-cases/departments/access.ts";
import { registerResidentId } from "#use-cases/departments/births.ts";
import type { InboundDeps } from "#use-cases/departments/inbound.ts";
import type { VitalDeps } from "#use-cases/departments/vital.ts";
import { residentEmpi } from "#use-cases/mpi/queries.ts";
import { accessDeps } from "./departments.ts";
import { optionalEvidence } from "./evidence.ts";
import { mpiWiring } from "./mpi.ts";

/** The vital status and the queue its changes go to (the MPI's feed, and inbound messages) */
export function vitalDeps(): VitalDeps {
  const events = queueUrl("ResidentEvents");
  return {
    vital: dynamoVitalStatusStore(tableName("DepartmentExchange")),
    publish: (event) => sendMessage(events, event),
  };
}

export function inboundDeps(): InboundDeps {
  const access = accessDeps();
  const { deps: mpi, mpi: engine } = mpiWiring();
  return {
    inbound: dynamoInboundStore(tableName("DepartmentExchange")),
    grantedMembers: (serviceId, now) => grantedMembers(access, serviceId, now),
    vital: vitalDeps(),
    residentByResidentId: (residentId) => residentEmpi(mpi, { system: RESIDENT_ID_SYSTEM, value: residentId }),
    registerResidentId: (empi, residentId) => registerResidentId(mpi, engine, empi, residentId),
    ...optionalEvidence(),
  };
}

/** When a resident died, as the exchange knows it (for PDQm: MpiQuery reads the DepartmentExchange table) */
export function deceasedOf(): (empi: string) => Promise<string | undefined> {
  const vital = dynamoVitalStatusStore(tableName("DepartmentExchange"));
  return async (empi) => {
    const status = await vital.get(empi);
    return status?.deceased ? status.deceasedDateTime : undefined;
  };
}
