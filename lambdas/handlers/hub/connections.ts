/** GET /connections (operator): the province-wide connection board, connected and exchanging. */
import { dynamoConnectionStore } from "#adapters/connection-store.ts";
import { dynamoFacilityStore } from "#adapters/facility-store.ts";
import { buildConnectionBoard } from "#domain/connections.ts";
import { CITY_IDS } from "#lib/config/province.ts";
import { positiveIntEnv, tableName } from "#shared/env.ts";
import { ENV } from "#shared/env-names.ts";
import { httpHandler } from "#shared/http.ts";

const facilities = dynamoFacilityStore(tableName("RegistryIndex"));
const connections = dynamoConnectionStore(tableName("Connections"));
const windowSeconds = positiveIntEnv(ENV.connectedWindowSeconds);

export const handler = httpHandler(async () => {
  const [registered, { heartbeats, exchanges }] = await Promise.all([facilities.listSummaries(), connections.list()]);
  const board = buildConnectionBoard(registered, heartbeats, CITY_IDS, new Date(), windowSeconds, exchanges);
  return { statusCode: 200, body: board, headers: { "content-type": "application/json" } };
});
