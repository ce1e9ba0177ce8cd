/**
 * A death's cascade (docs/departments.md#deaths), run by the consumer of the ResidentEvents queue.
 * Input: a change of a resident's vital status. Output: none. Primary course: for a death a hospital
 * reported, one `death-notification` (message id `death-<empi>`: one per resident, whatever retries) to
 * public security and civil affairs through the exchange; then every listener registered for the change
 * in wiring (the health card, subscriptions, telemedicine's open Tasks…), each idempotent: a retried
 * event runs them again.
 */
import type { DepartmentExchange, FocusResource } from "#ports/departments.ts";
import { HEALTH_CLOUD_MEMBER } from "#schemas/department-members.ts";
import type { ResidentVitalEvent } from "#schemas/departments.ts";
import { EMPI_SYSTEM, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";

/** What another capability does when a resident dies or is restored (cancel a card, end subscriptions, cancel Tasks) */
export type ResidentVitalListener = (event: ResidentVitalEvent, now: Date) => Promise<void>;

export interface DeathCascadeDeps {
  exchange: DepartmentExchange;
  /** The death certificate (LOINC 64297-5) published for the resident, if one is known yet */
  certificate?: (empi: string) => Promise<FocusResource | undefined>;
  listeners: { deceased: readonly ResidentVitalListener[]; restored: readonly ResidentVitalListener[] };
}

export const deathNotificationId = (empi: string): string => `death-${empi}`;

/** The resident as a death-notification names them */
export const deceasedPatient = (event: ResidentVitalEvent): FocusResource => ({
  resourceType: "Patient",
  id: event.empi,
  identifier: [
    { system: EMPI_SYSTEM, value: event.empi },
    ...(event.residentId ? [{ system: RESIDENT_ID_SYSTEM, value: event.residentId }] : []),
  ],
  ...(event.deceasedDateTime ? { deceasedDateTime: event.deceasedDateTime } : {}),
});

export const birthNotificationId = (empi: string): string => `birth-${empi}`;

export async function onVitalChange(deps: DeathCascadeDeps, event: ResidentVitalEvent, now: Date): Promise<void> {
  if (event.change === "born") {
    // the newborn as registered, with its EMPI: public security registers the household, the health commission counts the birth
    const newborn = { ...event.newborn, resourceType: "Patient", id: event.empi } as FocusResource;
    const identifier = [...((newborn.identifier as unknown[] | undefined) ?? []), { system: EMPI_SYSTEM, value: event.empi }];
    await deps.exchange.send(
      {
        messageId: birthNotificationId(event.empi),
        event: "birth-notification",
        destinations: ["public-security", "health-commission"],
        sourceMember: HEALTH_CLOUD_MEMBER,
        focus: [{ ...newborn, identifier }],
      },
      now,
    );
    return;
  }
  if (event.change === "deceased" && event.source === "health") {
    const certificate = await deps.certificate?.(event.empi);
    await deps.exchange.send(
      {
        messageId: deathNotificationId(event.empi),
        event: "death-notification",
        destinations: ["public-security", "civil-affairs"],
        sourceMember: HEALTH_CLOUD_MEMBER,
        focus: [deceasedPatient(event), ...(certificate ? [certificate] : [])],
      },
      now,
    );
  }
  for (const listener of deps.listeners[event.change]) await listener(event, now);
}
