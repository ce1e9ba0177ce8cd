/**
 * Identity queries, answered by the hub's master patient index (read-after-write from any city):
 *   GET /fhir/Patient/$ihe-pix?sourceIdentifier=<system>|<value>[&targetSystem=<system>]   PIXm (ITI-83)
 *   GET /fhir/Patient?identifier=|family=|given=|name=|birthdate=|gender=|telecom=       PDQm (ITI-78)
 * PDQm returns demographics, so it requires X-Practitioner-Id (a licensed clinical practitioner of the
 * calling hospital, else 403), and address, telecom and contacts only of residents the consent policy
 * opens to the reader (docs/consent.md); PIXm admits the FEP as a system (the EMPI and its own MRN, about residents
 * it registered only), and answers a named practitioner the full cross-reference.
 * Each query leaves exactly one AuditEvent, refusals included.
 */
import { bundlePatients, namedPatients, pixAnswerPatients } from "#domain/named-patients.ts";
import { clock } from "#shared/clock.ts";
import { httpRouter, queryString } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { readAccessOf, redactPatients } from "#use-cases/consent/gate.ts";
import { pdqAtHub, pixAtHub } from "#use-cases/mpi/city-patients.ts";
import { cityPatientWiring } from "#wiring/mpi.ts";
import { cityPrivacySource } from "#wiring/privacy.ts";

const { hub, patients, auditor, cityId } = cityPatientWiring();
const privacy = cityPrivacySource(hub, cityId);

export const handler = httpRouter({
  "GET /fhir/Patient/$ihe-pix": async (request) => {
    const { hospitalId } = request.caller!;
    const template = {
      action: "E" as const,
      interaction: "operation" as const,
      hospitalId,
      practitionerId: practitionerHeader(request.headers),
      patients: namedPatients(request, { query: "sourceIdentifier" }),
      query: `Patient/$ihe-pix${queryString(request.query)}`,
    };
    return auditor.audited(template, async () => {
      const named = await actingPractitioner(hub, request.headers, hospitalId, false);
      const { answer, pix } = await pixAtHub(patients, hospitalId, request.query, named !== undefined);
      return {
        value: { statusCode: 200, body: answer.body },
        patients: [
          ...namedPatients({ query: { sourceIdentifier: [pix.sourceIdentifier] } }, { query: "sourceIdentifier" }),
          ...pixAnswerPatients(answer.body),
        ],
      };
    });
  },

  "GET /fhir/Patient": async (request) => {
    const { hospitalId } = request.caller!;
    const template = {
      action: "E" as const,
      interaction: "search-type" as const,
      hospitalId,
      practitionerId: practitionerHeader(request.headers),
      patients: namedPatients(request, { query: "identifier" }),
      query: `Patient${queryString(request.query)}`,
    };
    return auditor.audited(template, async () => {
      const practitionerId = await actingPractitioner(hub, request.headers, hospitalId, true);
      const access = readAccessOf(request.headers, hospitalId, practitionerId);
      const answer = await pdqAtHub(patients, hospitalId, request.query);
      // demographics beyond identity only of the residents the consent policy opens to the reader (docs/consent.md)
      const shown = await redactPatients(privacy, access, answer.body, clock.now());
      return { value: { statusCode: 200, body: shown.bundle }, patients: bundlePatients(answer.body), privacy: shown.privacy };
    });
  },
});
