/**
 * Publishing documents (IHE MHD ITI-65), docs/documents.md:
 *   POST /fhir                                  transaction Bundle: DocumentReference + Binary (+ SubmissionSet List)
 *   POST /fhir/Binary/$upload-url               an upload URL (presigned PUT) for content over 4 MB
 *   PUT  /fhir/DocumentReference/{id}           withdraw: the DocumentReference with status entered-in-error
 * X-Practitioner-Id (an active practitioner of the hospital) is required for publishing and
 * withdrawing; each leaves exactly one AuditEvent, refusals included.
 */
import { documentWiring, empiIdentifier, namedSubject } from "#adapters/document-wiring.ts";
import { documentIdOf } from "#domain/documents/publish.ts";
import { BadRequestError } from "#domain/errors.ts";
import { documentReferenceSchema, transactionBundleSchema, uploadUrlRequestSchema } from "#schemas/documents.ts";
import { httpHandler, parseJsonBody } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { publishDocument, withdrawDocument } from "#use-cases/documents/publish.ts";
import { issueUploadUrl } from "#use-cases/documents/records.ts";

const { cityId, hub, index, auditor, writeDeps } = documentWiring({ bytes: true });
const deps = writeDeps();

/** The document id a publish names (for its AuditEvent), read leniently from the raw body */
function documentHint(body: string | null): string | undefined {
  try {
    const bundle = JSON.parse(body ?? "") as {
      entry?: { resource?: { resourceType?: string; masterIdentifier?: { system?: unknown; value?: unknown } } }[];
    };
    const master = bundle.entry?.find((e) => e.resource?.resourceType === "DocumentReference")?.resource?.masterIdentifier;
    return typeof master?.system === "string" && typeof master.value === "string"
      ? documentIdOf(cityId, { system: master.system, value: master.value })
      : undefined;
  } catch {
    return undefined;
  }
}

export const handler = httpHandler(async (event, http) => {
  const { hospitalId } = http.caller!;
  const practitionerId = practitionerHeader(http.headers);
  if (event.resource === "/fhir/Binary/$upload-url") {
    await actingPractitioner(hub, http.headers, hospitalId, false);
    const request = parseJsonBody(event, uploadUrlRequestSchema);
    return { statusCode: 201, body: await issueUploadUrl(index, cityId, hospitalId, request.contentType) };
  }
  if (event.resource === "/fhir/DocumentReference/{id}") {
    const id = event.pathParameters!.id!;
    const template = {
      action: "U" as const,
      interaction: "update" as const,
      hospitalId,
      practitionerId,
      patients: [],
      resource: `DocumentReference/${id}`,
    };
    return auditor.audited(template, async () => {
      await actingPractitioner(hub, http.headers, hospitalId, true);
      const body = parseJsonBody(event, documentReferenceSchema.partial().required({ resourceType: true, status: true }));
      if (body.status !== "entered-in-error")
        throw new BadRequestError(
          "DocumentReference.status: only entered-in-error (withdrawal) is accepted here",
          "DocumentReference.status",
        );
      if (body.id !== undefined && body.id !== id)
        throw new BadRequestError("DocumentReference.id: differs from the URL", "DocumentReference.id");
      const entry = await withdrawDocument(deps, cityId, hospitalId, id);
      return { value: { statusCode: 200, body: entry.resource }, patients: [empiIdentifier(entry.empi)] };
    });
  }
  const hint = documentHint(event.body);
  const template = {
    action: "C" as const,
    interaction: "create" as const,
    hospitalId,
    practitionerId,
    patients: namedSubject(event.body, "DocumentReference"),
    resource: hint ? `DocumentReference/${hint}` : "DocumentReference",
  };
  return auditor.audited(template, async () => {
    const acting = (await actingPractitioner(hub, http.headers, hospitalId, true))!;
    const bundle = parseJsonBody(event, transactionBundleSchema);
    const result = await publishDocument(deps, { cityId, hospitalId, actingPractitionerId: acting, bundle });
    return {
      value: { statusCode: result.statusCode, body: result.bundle },
      patients: [...template.patients, empiIdentifier(result.empi)],
    };
  });
});
