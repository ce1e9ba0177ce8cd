/**
 * Publishing documents (IHE MHD ITI-65), docs/documents.md:
 *   POST /fhir                                  transaction Bundle: DocumentReference + Binary (+ SubmissionSet List)
 *   POST /fhir/Binary/$upload-url               an upload URL (presigned POST of the declared size) for content over 4 MB
 *   PUT  /fhir/DocumentReference/{id}           withdraw: the DocumentReference with status entered-in-error
 * X-Practitioner-Id (an active practitioner of the hospital) is required for publishing and
 * withdrawing; each leaves exactly one AuditEvent, refusals included. An upload URL names no patient:
 * only its refusals are audited.
 */
import { documentHint } from "#domain/documents/publish.ts";
import { empiIdentifier, lenientJson, namedPatients } from "#domain/named-patients.ts";
import { documentReferenceSchema, transactionBundleSchema, uploadUrlRequestSchema } from "#schemas/documents.ts";
import { httpRouter } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { publishDocument, withdrawDocument } from "#use-cases/documents/publish.ts";
import { issueUploadUrl } from "#use-cases/documents/records.ts";
import { documentWiring, documentWriteDeps } from "#wiring/documents.ts";

const wiring = documentWiring({ bytes: true });
const { cityId, hub, index, auditor } = wiring;
const deps = documentWriteDeps(wiring);
const withdrawal = documentReferenceSchema.partial().required({ resourceType: true, status: true });

export const handler = httpRouter({
  "POST /fhir/Binary/$upload-url": async (request) => {
    const { hospitalId } = request.caller!;
    const access = { action: "C" as const, interaction: "create" as const, hospitalId, resource: "Binary" };
    return auditor.refusals({ ...access, practitionerId: practitionerHeader(request.headers) }, async () => {
      await actingPractitioner(hub, request.headers, hospitalId, false);
      const upload = request.body(uploadUrlRequestSchema);
      return { statusCode: 201, body: await issueUploadUrl(index, cityId, hospitalId, upload) };
    });
  },

  "PUT /fhir/DocumentReference/{id}": async (request) => {
    const { hospitalId } = request.caller!;
    const id = request.pathParameters.id!;
    const template = {
      action: "U" as const,
      interaction: "update" as const,
      hospitalId,
      practitionerId: practitionerHeader(request.headers),
      patients: [],
      resource: `DocumentReference/${id}`,
    };
    return auditor.audited(template, async () => {
      await actingPractitioner(hub, request.headers, hospitalId, true);
      const entry = await withdrawDocument(deps, cityId, hospitalId, id, request.body(withdrawal));
      return { value: { statusCode: 200, body: entry.resource }, patients: [empiIdentifier(entry.empi)] };
    });
  },

  "POST /fhir": async (request) => {
    const { hospitalId } = request.caller!;
    const hint = documentHint(cityId, lenientJson(request));
    const template = {
      action: "C" as const,
      interaction: "create" as const,
      hospitalId,
      practitionerId: practitionerHeader(request.headers),
      patients: namedPatients(request, "DocumentReference"),
      resource: hint ? `DocumentReference/${hint}` : "DocumentReference",
    };
    return auditor.audited(template, async () => {
      const acting = (await actingPractitioner(hub, request.headers, hospitalId, true))!;
      const bundle = request.body(transactionBundleSchema);
      const result = await publishDocument(deps, { cityId, hospitalId, actingPractitionerId: acting, bundle });
      return {
        value: { statusCode: result.statusCode, body: result.bundle },
        patients: [...template.patients, empiIdentifier(result.empi)],
      };
    });
  },
});
