/**
 * The authorization matrix (docs/security.md#authorization-matrix): for every route of every API in
 * the node declarations, the attempts that must be refused, or the reason the route has none.
 * test/local/authorization-matrix.test.ts iterates the declarations and fails naming any route that
 * has no entry here, then runs every case against one local province.
 *
 * The dimensions:
 * - object: a hospital uses another hospital's ids (its patient's MRN, its document, role,
 *   subscription, claim, inbox item);
 * - practitioner: a hospital names another hospital's practitioner in X-Practitioner-Id;
 * - node: a city's function acts for another city's hospital on the hub's internal API;
 * - function: a caller reaches a route that is not its kind's (a hospital on the operator API or an
 *   IAM route; an unsigned call on an IAM route).
 */

export type { Attempt, Dimension, Hospital, MatrixCase, MatrixContext, Outcome, RouteEntry, Victim } from "./matrix-types.ts";

import { cityRecordEntries } from "./matrix-city-records.ts";
import { cityRegistryEntries } from "./matrix-city-registry.ts";
import { cityServiceEntries } from "./matrix-city-services.ts";
import { hubInternalEntries, OPERATOR_ATTEMPTS, operatorEntries } from "./matrix-hub.ts";
import { hospitalOnOperatorRoute } from "./matrix-kit.ts";
import type { RouteEntry } from "./matrix-types.ts";

const cityEntries: Record<string, RouteEntry> = { ...cityRegistryEntries, ...cityRecordEntries, ...cityServiceEntries };

/** The matrix entry of a declared route ("hub Operator GET /connections"), or undefined when it has none */
export function entryOf(
  node: "hub" | "city",
  apiId: string,
  method: string,
  path: string,
  operatorDefault: boolean,
): RouteEntry | undefined {
  const key = `${method} ${path}`;
  if (node === "city") return cityEntries[key];
  if (apiId === "Internal") return hubInternalEntries[key];
  if (operatorEntries[key]) return operatorEntries[key];
  if (!operatorDefault) return undefined;
  const attempt = OPERATOR_ATTEMPTS[key];
  if (path.includes("{") && !attempt?.path) return undefined; // an id-bearing route needs a real id to try
  const concrete = attempt?.path ?? (() => path);
  return {
    cases: [hospitalOnOperatorRoute(method, concrete, attempt?.body ?? (method === "GET" || method === "DELETE" ? undefined : {}))],
  };
}
