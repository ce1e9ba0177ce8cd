/**
 * Wiring of the hub's master patient index for its handlers: the DynamoDB stores (tables named by
 * the function's environment) and the engine over their resident views.
 */
import { MasterPatientIndex } from "#domain/mpi/engine.ts";
import { clock } from "#shared/clock.ts";
import { tableName } from "#shared/env.ts";
import { type MpiDeps, ResidentViews } from "#use-cases/mpi/residents.ts";
import { dynamoPatientRecordStore } from "./patient-records.ts";
import { dynamoResidentStore } from "./resident-store.ts";

export function mpiWiring(): { deps: MpiDeps; mpi: MasterPatientIndex } {
  const deps: MpiDeps = {
    residents: dynamoResidentStore(tableName("Residents"), tableName("ResidentKeys")),
    records: dynamoPatientRecordStore(tableName("PatientRecords"), tableName("PatientSearch")),
    now: clock.now,
  };
  const residents = deps.residents;
  return { deps, mpi: new MasterPatientIndex(new ResidentViews(deps), residents) };
}
