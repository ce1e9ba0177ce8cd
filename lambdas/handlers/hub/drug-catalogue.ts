/**
 * The drug catalogue at the hub (docs/drugs-devices.md):
 *   GET  /internal/fhir/MedicationKnowledge?code=<[system|]value>   (a city, for its hospital) searchset Bundle
 *   GET  /fhir/MedicationKnowledge?code=…  or  ?_lastUpdated=gt<instant>[&_count=]   (operator) one code, or what changed, paged
 *   POST /drugs/import   (operator) a daily delta: {"entries": [...]} → the version it made, sent to the insurance platform
 */
import { BadRequestError } from "#domain/errors.ts";
import { catalogueDeltaSchema } from "#schemas/drugs.ts";
import { clock } from "#shared/clock.ts";
import { httpRouter } from "#shared/http.ts";
import { importDelta } from "#use-cases/drugs/import.ts";
import { changedSince, resolveDrugCode } from "#use-cases/drugs/resolve.ts";
import { hubDrugCatalogue } from "#wiring/drugs.ts";
import { pageKeyOfNode } from "#wiring/page-tokens.ts";

const { catalogue, activity, send } = hubDrugCatalogue();
const pageKey = pageKeyOfNode();

/** Today in China Standard Time, the day the catalogue's validity is read on */
const chinaToday = () => new Date(clock.nowMs() + 8 * 3_600_000).toISOString().slice(0, 10);

export const handler = httpRouter({
  "GET /internal/fhir/MedicationKnowledge": async (request) => {
    // the count of an answered resolution is written beside the read, not after it
    const body = await resolveDrugCode(catalogue, request.query.code?.[0], chinaToday(), () => activity.add("drugLookups", clock.now()));
    return { statusCode: 200, body };
  },
  "GET /fhir/MedicationKnowledge": async (request) => {
    const { code: codes, ...changes } = request.query;
    const code = codes?.[0];
    if (code !== undefined && changes._lastUpdated !== undefined)
      throw new BadRequestError("_lastUpdated: search by code or by _lastUpdated, not both", "_lastUpdated");
    return {
      statusCode: 200,
      body:
        code !== undefined
          ? await resolveDrugCode(catalogue, code, chinaToday())
          : await changedSince(catalogue, changes, chinaToday(), pageKey),
    };
  },
  "POST /drugs/import": async (request) => ({
    statusCode: 200,
    body: await importDelta(catalogue, request.body(catalogueDeltaSchema), clock.isoNow(), send),
    headers: { "content-type": "application/json" },
  }),
});
