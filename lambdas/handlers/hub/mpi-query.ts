/**
 * Internal API, for the city nodes: identity queries at the master patient index, read-after-write.
 *   GET /internal/fhir/Patient/$ihe-pix?sourceIdentifier=…[&targetSystem=…]   PIXm (ITI-83)
 *   GET /internal/fhir/Patient?identifier=|family=|given=|name=|birthdate=|gender=|telecom=   PDQm (ITI-78)
 * The cities check the practitioner and audit the access; the hub only answers.
 */
import { httpRouter } from "#shared/http.ts";
import { pdqSearch, pixQuery } from "#use-cases/mpi/queries.ts";
import { pdqParams, pixParams } from "#use-cases/mpi/query-params.ts";
import { deceasedOf } from "#wiring/departments-inbound.ts";
import { mpiWiring } from "#wiring/mpi.ts";

// the deceased state the department exchange knows shows on PDQm's Patients (docs/departments.md#deaths)
const deps = { ...mpiWiring().deps, deceased: deceasedOf() };

export const handler = httpRouter({
  "GET /internal/fhir/Patient/$ihe-pix": async (request) => {
    const q = pixParams(request.query);
    return { statusCode: 200, body: (await pixQuery(deps, q.sourceIdentifier, q.targetSystem)).parameters };
  },
  "GET /internal/fhir/Patient": async (request) => ({ statusCode: 200, body: (await pdqSearch(deps, pdqParams(request.query))).bundle }),
});
