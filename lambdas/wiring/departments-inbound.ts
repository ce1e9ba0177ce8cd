/**
 * Composition of the department exchange's inbound side and the death flow (docs/departments.md): the
 * MPI's stores (to find residents; a newborn's resident ID number goes to the MPI's own function through
 * the ResidentIdRegistrations queue), the vital status (DepartmentExchange table) and the ResidentEvents
 * queue whose consumer runs a death's cascade. No matching engine here.
 */
import { dynamoInboundStore, dynamoVitalStatusStore } from "#adapters/department-store.ts";
import { sendMessage } from "#adapters/queue-sender.ts";
import { RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import type { ResidentIdRegistration } from "#schemas/resident-id-registration.ts";
import { queueUrl, tableName } from "#shared/env.ts";
import { grantedMembers } from "#use-cases/departments/access.ts";
import { queueResidentId } from "#use-cases/departments/births.ts";
import type { InboundDeps } from "#use-cases/departments/inbound.ts";
import type { VitalDeps } from "#use-cases/departments/vital.ts";
import { residentEmpi } from "#use-cases/mpi/queries.ts";
import { accessDeps } from "./departments.ts";
import { optionalEvidence } from "./evidence.ts";
import { mpiDeps } from "./mpi.ts";

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
  const mpi = mpiDeps();
  const registrations = queueUrl("ResidentIdRegistrations");
  const residentIds = { mpi, publish: (registration: ResidentIdRegistration) => sendMessage(registrations, registration) };
  return {
    inbound: dynamoInboundStore(tableName("DepartmentExchange")),
    grantedMembers: (serviceId, now) => grantedMembers(access, serviceId, now),
    vital: vitalDeps(),
    residentByResidentId: (residentId) => residentEmpi(mpi, { system: RESIDENT_ID_SYSTEM, value: residentId }),
    registerResidentId: (messageId, empi, residentId, now) => queueResidentId(residentIds, messageId, empi, residentId, now),
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
