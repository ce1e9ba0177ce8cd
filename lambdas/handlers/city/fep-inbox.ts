/**
 * The hospital's FEP inbox (docs/push.md), as the FEP's system (no practitioner needed):
 *   GET  /fep/inbox?wait=<0..20>[&_count=<1..100>]      long poll: a searchset Bundle of Communications
 *   POST /fep/inbox/{communicationId}/ack               204 (also when repeated); unknown id → 404
 *   GET  /fhir/Communication/{id}                       read one the inbox holds or held (acknowledged, until it expires)
 * Only the calling hospital's own inbox: the authorizer admits hospitals of this city, and names the one.
 * A present X-Practitioner-Id must name an active practitioner of that hospital (403 otherwise).
 * A poll that hands over Communications is audited (one AuditEvent naming their residents), as is a
 * refused one; an idle poll is not. A refused acknowledgement is audited; an accepted one names no patient.
 */
import type { AuditAction, RestInteraction } from "#domain/audit.ts";
import { type HttpRequest, httpRouter } from "#shared/http.ts";
import { actingPractitioner, practitionerHeader } from "#shared/practitioner-guard.ts";
import { acknowledge, inboxBundle, patientsOf, poll, pollQuery, readCommunication } from "#use-cases/push/inbox.ts";
import { fepInboxWiring } from "#wiring/push.ts";

const { inbox, hub, auditor } = fepInboxWiring();

/** The calling hospital, its practitioner header checked */
async function hospitalOf(request: HttpRequest): Promise<string> {
  const hospital = request.caller;
  if (!hospital) throw new Error("the authorizer admitted no hospital"); // unreachable behind the authorizer
  await actingPractitioner(hub, request.headers, hospital.hospitalId, false);
  return hospital.hospitalId;
}

/** The calling hospital's access to one Communication, for its AuditEvent */
const accessTo = (request: HttpRequest, action: AuditAction, interaction: RestInteraction, communicationId: string) => ({
  action,
  interaction,
  hospitalId: request.caller!.hospitalId,
  practitionerId: practitionerHeader(request.headers),
  resource: `Communication/${communicationId}`,
});

export const handler = httpRouter({
  "POST /fep/inbox/{communicationId}/ack": async (request) => {
    const communicationId = request.pathParameters.communicationId!;
    const access = accessTo(request, "U", "update", communicationId);
    // another hospital's Communication is not in this inbox: 404 as for an unknown id, audited
    await auditor.refusals(access, async () => acknowledge(inbox, await hospitalOf(request), communicationId));
    return { statusCode: 204 };
  },
  "GET /fhir/Communication/{id}": async (request) => {
    const id = request.pathParameters.id!;
    const template = { ...accessTo(request, "R", "read", id), patients: [] };
    // another hospital's Communication is answered as an unknown one (404), audited
    return auditor.audited(template, async () => {
      const communication = await readCommunication(inbox, await hospitalOf(request), id);
      return { value: { statusCode: 200, body: communication }, patients: patientsOf([communication]) };
    });
  },
  "GET /fep/inbox": async (request) => {
    const template = {
      action: "R" as const,
      interaction: "search" as const,
      hospitalId: request.caller!.hospitalId,
      practitionerId: practitionerHeader(request.headers),
      patients: [],
      resource: "Communication",
      query: "GET /fep/inbox",
    };
    return auditor.audited(
      template,
      async () => {
        const hospitalId = await hospitalOf(request);
        const { wait, count } = pollQuery(request.query);
        const communications = await poll(inbox, hospitalId, wait, count);
        return { value: { statusCode: 200, body: inboxBundle(communications) }, patients: patientsOf(communications) };
      },
      { onlyWithPatients: true },
    );
  },
});
