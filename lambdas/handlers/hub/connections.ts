/** GET /connections (operator): the province-wide connection board, connected and exchanging. */
import { clock } from "#shared/clock.ts";
import { httpHandler } from "#shared/http.ts";
import { loadConnectionBoard } from "#use-cases/connection-board.ts";
import { connectionBoardDeps } from "#wiring/connections.ts";

const deps = connectionBoardDeps();

export const handler = httpHandler(async () => ({
  statusCode: 200,
  body: await loadConnectionBoard(deps, clock.now()),
  headers: { "content-type": "application/json" },
}));
