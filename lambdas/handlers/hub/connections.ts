/** GET /connections (operator): the province-wide connection board, connected and exchanging. */
import { dynamoConnectionStore } from "#adapters/connection-store.ts";
import { dynamoFacilityStore } from "#adapters/facility-store.ts";
import { discovery } from "#shared/discovery.ts";
import { nodeEnv, positiveIntEnv, tableName } from "#shared/env.ts";
import { ENV } from "#shared/env-names.ts";
import { httpHandler } from "#shared/http.ts";
import { loadConnectionBoard } from "#use-cases/connection-board.ts";

const deps = {
  facilities: dynamoFacilityStore(tableName("RegistryIndex")),
  connections: dynamoConnectionStore(tableName("Connections")),
  windowSeconds: positiveIntEnv(ENV.connectedWindowSeconds),
  cities: discovery(nodeEnv().ssmPrefix).cities,
};

export const handler = httpHandler(async () => ({
  statusCode: 200,
  body: await loadConnectionBoard(deps, new Date()),
  headers: { "content-type": "application/json" },
}));
