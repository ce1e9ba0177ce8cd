/**
 * Three-tier telemedicine at a city node (docs/telemedicine.md), kept at the hub and forwarded to its
 * internal API for the calling hospital and its named practitioner:
 *   POST /fhir/ServiceRequest    request a consult, a remote read or a referral → 201 Bundle (ServiceRequest + Task)
 *   GET  /fhir/Task              the hospital's Tasks: requester=Organization/<id> or owner-organization=<id>
 *   GET  /fhir/Task/{id}         one Task (its requester or owner; another hospital: 403)
 *   PUT  /fhir/Task/{id}         move it, with If-Match: W/"<versionId>" (412 stale, 428 missing)
 *   GET  /fhir/Slot              an expert's slots: schedule.actor=PractitionerRole/<id>&status=free&start=ge<date>
 *   POST /fhir/Appointment/$hold, /$book   hold (10 minutes) or book a slot for a consult or referral
 *   GET  /fhir/Appointment/{id}  one Appointment (its Task's requester or owner; another hospital: 403)
 *   PUT  /fhir/Appointment/{id}  cancel it (the slot is free again)
 * Each names a patient, so each needs a named licensed practitioner and leaves exactly one AuditEvent
 * (purpose of use: treatment), refusals included. A malformed body is a 400 naming the field and never
 * reaches the hub.
 */
import type { AccessDescription } from "#domain/audit.ts";
import { CONSENT_POLICY } from "#domain/consent/policy.ts";
import { FHIR_JSON } from "#schemas/fhir.ts";
import { PRACTITIONER_HEADER } from "#schemas/internal.ts";
import { EMPI_SYSTEM } from "#schemas/patient.ts";
import { serviceRequestSchema, taskUpdateSchema } from "#schemas/telemedicine.ts";
import { appointmentUpdateSchema, parameterId, schedulingParametersSchema } from "#schemas/telemedicine-scheduling.ts";
import { type HttpRequest, type HttpResult, httpRouter, queryString } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { cityTelemedicineWiring } from "#wiring/telemedicine.ts";

const { hub, relay, auditor } = cityTelemedicineWiring();

type Json = Record<string, unknown>;
type Identifier = { system: string; value: string };

/** Treatment, on the basis of the telemedicine Task */
const TREATMENT: AccessDescription["privacy"] = {
  decision: "permit",
  basis: "telemedicine",
  consents: [],
  policyVersion: CONSENT_POLICY.version,
  purpose: "TREAT",
};

const template = (
  request: HttpRequest,
  action: "C" | "R" | "U",
  interaction: AccessDescription["interaction"],
  patients: Identifier[],
) => ({
  action,
  interaction,
  hospitalId: request.caller!.hospitalId,
  practitionerId: practitionerHeader(request.headers),
  patients,
  resource: request.pathParameters.id
    ? `${request.path.split("/")[2]}/${request.pathParameters.id}`
    : request.path.replace(/^\/fhir\//, ""),
  privacy: TREATMENT,
});

/** The residents (EMPI) the Tasks (or Appointments) of an answer are for */
function patientsOf(json: Json | undefined): Identifier[] {
  const resources =
    json?.resourceType === "Bundle" ? ((json.entry as { resource: Json }[] | undefined) ?? []).map((e) => e.resource) : [json ?? {}];
  const participant = (r: Json) =>
    ((r.participant as { actor: { reference: string } }[] | undefined) ?? [])
      .map((p) => p.actor.reference)
      .find((ref) => ref.startsWith("Patient/"))
      ?.slice("Patient/".length);
  const empis = new Set(
    resources
      .map((r) => (r.for as { identifier?: Identifier } | undefined)?.identifier?.value ?? participant(r))
      .filter(Boolean) as string[],
  );
  return [...empis].map((value) => ({ system: EMPI_SYSTEM, value }));
}

/** Forwarded for the hospital and its practitioner (checked here first: a licensed clinical role) */
async function atHub(request: HttpRequest, body?: string): Promise<{ status: number; json?: Json }> {
  const { hospitalId } = request.caller!;
  const practitionerId = (await actingPractitioner(hub, request.headers, hospitalId, true))!;
  const ifMatch = request.headers["if-match"];
  const path = `/telemedicine${request.path.replace(/^\/fhir/, "")}${queryString(request.query)}`;
  return relay.forward(request.method, path, hospitalId, body, {
    [PRACTITIONER_HEADER]: practitionerId,
    ...(ifMatch ? { "if-match": ifMatch } : {}),
  });
}

const taskAnswer = (status: number, json: Json | undefined): HttpResult => {
  const version = (json?.meta as { versionId?: string } | undefined)?.versionId;
  return {
    statusCode: status,
    ...(json ? { body: json } : {}),
    headers: { "content-type": FHIR_JSON, ...(version ? { etag: `W/"${version}"` } : {}) },
  };
};

const read = async (request: HttpRequest): Promise<HttpResult> =>
  auditor.audited(template(request, "R", request.pathParameters.id ? "read" : "search-type", []), async () => {
    const answer = await atHub(request);
    return { value: taskAnswer(answer.status, answer.json), patients: patientsOf(answer.json) };
  });

/** $hold and $book: the patient the Parameters name (Patient/<EMPI>), and the Appointment's */
async function schedule(request: HttpRequest): Promise<HttpResult> {
  const parameters = request.body(schedulingParametersSchema);
  const patient = parameterId(parameters, "patient");
  const named = patient ? [{ system: EMPI_SYSTEM, value: patient }] : [];
  return auditor.audited(template(request, "C", "operation", named), async () => {
    const answer = await atHub(request, JSON.stringify(parameters));
    return { value: taskAnswer(answer.status, answer.json), patients: [...named, ...patientsOf(answer.json)] };
  });
}

export const handler = httpRouter({
  "POST /fhir/ServiceRequest": async (request) => {
    const sent = request.body(serviceRequestSchema);
    return auditor.audited(template(request, "C", "create", [sent.subject.identifier]), async () => {
      const answer = await atHub(request, JSON.stringify(sent));
      const task = ((answer.json?.entry as { resource: Json }[] | undefined) ?? []).find(
        (e) => e.resource.resourceType === "Task",
      )?.resource;
      return {
        value: {
          statusCode: answer.status,
          body: answer.json,
          headers: { "content-type": FHIR_JSON, ...(task ? { location: `Task/${String(task.id)}` } : {}) },
        },
        patients: [sent.subject.identifier, ...patientsOf(task)],
      };
    });
  },
  "GET /fhir/Task": read,
  "GET /fhir/Task/{id}": read,
  "GET /fhir/Slot": read,
  "POST /fhir/Appointment/$hold": (request) => schedule(request),
  "POST /fhir/Appointment/$book": (request) => schedule(request),
  "GET /fhir/Appointment/{id}": read,
  "PUT /fhir/Appointment/{id}": async (request) => {
    const update = request.body(appointmentUpdateSchema);
    return auditor.audited(template(request, "U", "update", []), async () => {
      const answer = await atHub(request, JSON.stringify(update));
      return { value: taskAnswer(answer.status, answer.json), patients: patientsOf(answer.json) };
    });
  },
  "PUT /fhir/Task/{id}": async (request) => {
    const update = request.body(taskUpdateSchema);
    return auditor.audited(template(request, "U", "update", []), async () => {
      const answer = await atHub(request, JSON.stringify(update));
      return { value: taskAnswer(answer.status, answer.json), patients: patientsOf(answer.json) };
    });
  },
});
