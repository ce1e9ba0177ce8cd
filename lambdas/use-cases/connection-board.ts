/** The province-wide connection board, connected and exchanging (GET /connections, the operations summary). */
import type { ConnectionStore } from "#adapters/connection-store.ts";
import type { dynamoFacilityStore } from "#adapters/facility-store.ts";
import { buildConnectionBoard, type ConnectionBoard } from "#domain/connections.ts";
import { CITY_IDS } from "#lib/config/province.ts";

export interface ConnectionBoardDeps {
  facilities: Pick<ReturnType<typeof dynamoFacilityStore>, "listSummaries">;
  connections: Pick<ConnectionStore, "list">;
  windowSeconds: number;
}

export async function loadConnectionBoard(deps: ConnectionBoardDeps, now: Date): Promise<ConnectionBoard> {
  const [registered, { heartbeats, exchanges }] = await Promise.all([deps.facilities.listSummaries(), deps.connections.list()]);
  return buildConnectionBoard(registered, heartbeats, CITY_IDS, now, deps.windowSeconds, exchanges);
}
