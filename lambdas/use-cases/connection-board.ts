/** The province-wide connection board, connected and exchanging (GET /connections, the operations summary). */
import type { ConnectionStore } from "#adapters/connection-store.ts";
import type { dynamoFacilityStore } from "#adapters/facility-store.ts";
import { buildConnectionBoard, type ConnectionBoard } from "#domain/connections.ts";

export interface ConnectionBoardDeps {
  facilities: Pick<ReturnType<typeof dynamoFacilityStore>, "listSummaries">;
  connections: Pick<ConnectionStore, "list">;
  windowSeconds: number;
  /** The province's cities, from discovery (a city without hospitals yet still has its row) */
  cities: () => Promise<readonly { id: string }[]>;
}

export async function loadConnectionBoard(deps: ConnectionBoardDeps, now: Date): Promise<ConnectionBoard> {
  const [registered, { heartbeats, exchanges }, cities] = await Promise.all([
    deps.facilities.listSummaries(),
    deps.connections.list(),
    deps.cities(),
  ]);
  return buildConnectionBoard(
    registered,
    heartbeats,
    cities.map((c) => c.id),
    now,
    deps.windowSeconds,
    exchanges,
  );
}
