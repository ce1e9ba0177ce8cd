/**
 * The telemedicine inbox: each hospital a change of a Task concerns (requester, new and former owner)
 * but the one that made it gets a Communication in its FEP inbox (docs/telemedicine.md#the-tasks-life).
 */
import type { StoredTask } from "#domain/telemedicine/task.ts";
import type { TelemedicineDeps } from "#ports/telemedicine.ts";
import { EMPI_SYSTEM } from "#schemas/patient.ts";

/** `what`: the Communication's category after `telemedicine-` (default the Task's status, or its businessStatus while requested) */
export async function tell(
  deps: TelemedicineDeps,
  before: StoredTask | undefined,
  after: StoredTask,
  actor: string,
  what?: string,
): Promise<void> {
  const parties = new Map<string, string>();
  for (const p of [after.requester, after.owner, before?.owner]) if (p && p.hospitalId !== actor) parties.set(p.hospitalId, p.cityId);
  const category = what ?? (after.status === "requested" ? after.businessStatus : after.status);
  await Promise.all(
    [...parties].map(([hospitalId, cityId]) =>
      deps.inbox(cityId, hospitalId, {
        resourceType: "Communication",
        id: `tm-${after.id}-v${after.version}-${hospitalId}`.slice(0, 64),
        status: "completed",
        sent: after.lastUpdated,
        recipient: [{ reference: `Organization/${hospitalId}` }],
        subject: { reference: `Patient/${after.empi}`, identifier: { system: EMPI_SYSTEM, value: after.empi } },
        payload: [{ contentReference: { reference: `Task/${after.id}` } }],
        basedOn: [{ reference: `ServiceRequest/${after.serviceRequestId}` }],
        category: [{ text: `telemedicine-${category}` }],
      }),
    ),
  );
}
