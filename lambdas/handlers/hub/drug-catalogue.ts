/**
 * The drug catalogue at the hub (docs/drugs-devices.md):
 *   GET /internal/fhir/MedicationKnowledge?code=<[system|]value>   (a city, for its hospital) searchset Bundle
 */
import { clock } from "#shared/clock.ts";
import { httpRouter } from "#shared/http.ts";
import { resolveDrugCode } from "#use-cases/drugs/resolve.ts";
import { hubDrugCatalogue } from "#wiring/drugs.ts";

const catalogue = hubDrugCatalogue();

/** Today in China Standard Time, the day the catalogue's validity is read on */
const chinaToday = () => new Date(clock.nowMs() + 8 * 3_600_000).toISOString().slice(0, 10);

export const handler = httpRouter({
  "GET /internal/fhir/MedicationKnowledge": async (request) => ({
    statusCode: 200,
    body: await resolveDrugCode(catalogue, request.query.code?.[0], chinaToday()),
  }),
});
