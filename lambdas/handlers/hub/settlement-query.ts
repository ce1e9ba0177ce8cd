/**
 * Settlement reads at the hub:
 *   GET /internal/fhir/ClaimResponse?request.identifier=<system>|<value>   (a city, for its hospital) searchset Bundle
 *   GET /settlement/reconciliation?date=YYYY-MM-DD[&hospital=<id>]        (operator) the day's net figures
 */
import { settlementStore } from "#adapters/settlement-store.ts";
import { BadRequestError, ForbiddenError } from "#domain/errors.ts";
import { reconcile } from "#domain/settlement/claim-response.ts";
import { ACTING_HOSPITAL_HEADER } from "#schemas/internal.ts";
import { claimSystem } from "#schemas/settlement.ts";
import { tableName } from "#shared/env.ts";
import { httpHandler } from "#shared/http.ts";

const store = settlementStore(tableName("Settlements"));

const header = (headers: Record<string, string | undefined> | null, name: string) =>
  Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];

export const handler = httpHandler(async (event) => {
  const query = event.queryStringParameters ?? {};
  if (event.resource === "/settlement/reconciliation") {
    const date = query.date;
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
      throw new BadRequestError("date: a China Standard Time day YYYY-MM-DD is required", "date");
    const hospital = query.hospital;
    if (hospital !== undefined && !/^[a-z0-9-]{1,64}$/.test(hospital)) throw new BadRequestError("hospital: not a hospital id", "hospital");
    return {
      statusCode: 200,
      body: { date, hospitals: reconcile(await store.day(date, hospital)) },
      headers: { "content-type": "application/json" },
    };
  }
  const hospitalId = header(event.headers, ACTING_HOSPITAL_HEADER);
  if (!hospitalId)
    throw new BadRequestError(`${ACTING_HOSPITAL_HEADER}: the forwarding city names the calling hospital`, ACTING_HOSPITAL_HEADER);
  const wanted = query["request.identifier"];
  const bar = wanted?.indexOf("|") ?? -1;
  if (!wanted || bar <= 0 || bar === wanted.length - 1)
    throw new BadRequestError("request.identifier: <claim number system>|<claim number> is required", "request.identifier");
  const system = wanted.slice(0, bar);
  const value = wanted.slice(bar + 1);
  if (system !== claimSystem(hospitalId))
    throw new ForbiddenError(`request.identifier: a hospital reads only its own claims (${claimSystem(hospitalId)})`);
  const found = await store.byClaim(hospitalId, value);
  const entries = found
    .sort((a, b) => (a.result.action === b.result.action ? 0 : a.result.action === "submit" ? -1 : 1))
    .map((f) => ({ fullUrl: `ClaimResponse/${String(f.claimResponse.id)}`, resource: f.claimResponse, search: { mode: "match" } }));
  return { statusCode: 200, body: { resourceType: "Bundle", type: "searchset", total: entries.length, entry: entries } };
});
