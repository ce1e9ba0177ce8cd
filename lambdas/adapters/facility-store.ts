/** Facilities table (hub): the health-resources registry of hospitals. */
import type { FacilitySummary } from "#domain/connections.ts";
import { scanAll } from "./scan.ts";

export interface FacilityStore {
  listSummaries(): Promise<FacilitySummary[]>;
}

export const dynamoFacilityStore = (tableName: string): FacilityStore => ({
  listSummaries: () => scanAll<FacilitySummary>({ TableName: tableName, ProjectionExpression: "hospitalId, cityId" }),
});
