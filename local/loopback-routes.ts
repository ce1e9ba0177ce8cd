/**
 * The local province's routes for this machine only (the loopback address): the dashboard's data
 * (the hub's operations summary, read as the operator: the local stand-in for the operator's sign-in)
 * and the emulators' endpoints (the load test's raw ceilings, npm run loadtest).
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isLoopback } from "./clock.ts";
import { type Emulators, LOCAL_CREDENTIALS, LOCAL_REGION } from "./emulators.ts";

/** The dashboard's data on the local province */
export const LOCAL_SUMMARY_PATH = "/dashboard/summary.json";

type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** Answers 403 to any other address than the loopback, else runs `route` */
const loopbackOnly =
  (what: string, route: Route): Route =>
  (req, res) => {
    if (!isLoopback(req.socket.remoteAddress)) {
      res
        .writeHead(403, { "content-type": "application/json" })
        .end(JSON.stringify({ message: `${what} answer only on the loopback address` }));
      return;
    }
    route(req, res);
  };

const json = (res: ServerResponse, status: number, body: string) =>
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(body);

/** The hub's operations summary as the operator reads it: aggregates only */
export const localSummaryRoute = (baseUrl: () => string, credentialsFile: string): Route =>
  loopbackOnly("The local dashboard's figures", (_req, res) => {
    const operator = (JSON.parse(readFileSync(credentialsFile, "utf8")) as { operator: string }).operator;
    fetch(`${baseUrl()}/hub/ops/summary`, { headers: { authorization: `Bearer ${operator}` } })
      .then(async (answer) => json(res, answer.status, await answer.text()))
      .catch((error) => json(res, 503, JSON.stringify({ message: String(error) })));
  });

/** The emulators' endpoints, region and credentials */
export const emulatorsRoute = (endpoints: Emulators["endpoints"]): Route =>
  loopbackOnly("The emulators", (_req, res) =>
    json(res, 200, JSON.stringify({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoints })),
  );
