/**
 * Internal API, for the city nodes: identity queries at the master patient index, read-after-write.
 *   GET /internal/fhir/Patient/$ihe-pix?sourceIdentifier=…[&targetSystem=…]   PIXm (ITI-83)
 *   GET /internal/fhir/Patient?identifier=|family=|given=|name=|birthdate=|gender=|telecom=   PDQm (ITI-78)
 * The cities check the practitioner and audit the access; the hub only answers.
 */
import { mpiWiring } from "#adapters/resident-index.ts";
import { httpHandler } from "#shared/http.ts";
import { pdqSearch, pixQuery } from "#use-cases/mpi/queries.ts";
import { pdqParams, pixParams } from "#use-cases/mpi/query-params.ts";

const { deps } = mpiWiring();

export const handler = httpHandler(async (event) => {
  if (event.resource.endsWith("/$ihe-pix")) {
    const q = pixParams(event.multiValueQueryStringParameters);
    return { statusCode: 200, body: (await pixQuery(deps, q.sourceIdentifier, q.targetSystem)).parameters };
  }
  return { statusCode: 200, body: (await pdqSearch(deps, pdqParams(event.multiValueQueryStringParameters))).bundle };
});
