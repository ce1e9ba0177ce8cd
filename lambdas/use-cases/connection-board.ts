/**
 * The province-wide connection board (GET /connections, the operations summary).
 * Input: the hub's clock. Output: every registered hospital, connected, silent or never seen, and exchanging.
 * Primary course: read the registry's hospitals and the Connections table together, then classify each
 * hospital by its last heartbeat (within the window) and last exchange, city by city in the province's order.
 */
import { buildConnectionBoard, type ConnectionBoard } from "#domain/connections.ts";
import type { ConnectionStore } from "#ports/connections.ts";
import type { CityDirectory } from "#ports/province.ts";
import type { FacilityStore } from "#ports/registry.ts";

export interface ConnectionBoardDeps {
  facilities: FacilityStore;
  connections: Pick<ConnectionStore, "list">;
  cities: CityDirectory;
  windowSeconds: number;
}

export async function loadConnectionBoard(deps: ConnectionBoardDeps, now: Date): Promise<ConnectionBoard> {
  const [registered, { heartbeats, exchanges }, cities] = await Promise.all([
    deps.facilities.listSummaries(),
    deps.connections.list(),
    deps.cities.list(),
  ]);
  return buildConnectionBoard(
    registered,
    heartbeats,
    cities.map((c) => c.cityId),
    now,
    deps.windowSeconds,
    exchanges,
  );
}
