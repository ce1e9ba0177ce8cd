/**
 * An encounter's notifiable diagnoses, handed to the hub's watch (docs/public-health.md#deadlines).
 * Input: the recorded Encounter (as stored: its id, the resident's EMPI), the hospital.
 * Output: how many diagnoses now await a case report (0 when none is notifiable: no call is made).
 * Primary course: only the encounter's own diagnoses count (its contained Conditions that `diagnosis`
 * references); the hub keeps one expectation per encounter and disease (a re-POST adds nothing), unless
 * a report named them already. The hub not answering is a 503: the hospital re-posts (idempotent).
 */
import { UnavailableError } from "#domain/errors.ts";
import { notifiableDiagnoses } from "#domain/public-health/diseases.ts";
import type { HubForwarder } from "#ports/hub.ts";
import type { EncounterInput } from "#schemas/encounter.ts";
import { ACTING_HOSPITAL_HEADER } from "#schemas/internal.ts";

export async function expectCaseReports(
  hub: HubForwarder,
  hospitalId: string,
  encounter: EncounterInput & { id: string },
  empi: string,
): Promise<number> {
  // the contained Conditions (an Encounter also contains its implanted Devices: docs/drugs-devices.md#implants)
  const contained = encounter.contained?.flatMap((c) => (c.resourceType === "Condition" ? [c] : []));
  const diagnoses = notifiableDiagnoses({ ...encounter, contained }).map((d) => ({ ...d, encounterId: encounter.id, empi }));
  if (diagnoses.length === 0) return 0;
  const answer = await hub.forward(
    "POST",
    "/public-health/expectations",
    { "content-type": "application/json", accept: "application/json", [ACTING_HOSPITAL_HEADER]: hospitalId },
    JSON.stringify({ diagnoses }),
  );
  if (answer.status !== 200)
    throw new UnavailableError("The encounter is recorded, but its notifiable diagnoses were not handed over; post it again");
  return diagnoses.length;
}
