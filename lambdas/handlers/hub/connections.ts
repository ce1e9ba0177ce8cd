/** GET /connections (operator): the province-wide connection board, connected and exchanging. */
import { dynamoConnectionStore } from "#adapters/connection-store.ts";
import { dynamoFacilityStore } from "#adapters/facility-store.ts";
import { clock } from "#shared/clock.ts";
import { positiveIntEnv, tableName } from "#shared/env.ts";
import { ENV } from "#shared/env-names.ts";
import { httpHandler } from "#shared/http.ts";
import { loadConnectionBoard } from "#use-cases/connection-board.ts";

const deps = {
  facilities: dynamoFacilityStore(tableName("RegistryIndex")),
  connections: dynamoConnectionStore(tableName("Connections")),
  windowSeconds: positiveIntEnv(ENV.connectedWindowSeconds),
};

export const handler = httpHandler(async () => ({
  statusCode: 200,
  body: await loadConnectionBoard(deps, clock.now()),
  headers: { "content-type": "application/json" },
}));
