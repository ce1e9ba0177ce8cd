/**
 * Public health's share of `npm run simulate` (docs/public-health.md, docs/simulation.md): encounters
 * get a service type and realistic diagnoses (hypertension and diabetes follow-ups, prenatal, child
 * health, TCM and delivery visits); about 3 % of general visits diagnose a notifiable disease, and the
 * hospital drops a case-report message after the encounter (its FEP routes it to `$process-message`):
 * most on time, some back-dated past their deadline (late), and one never reported (the forgotten
 * case, reminded at half time and listed as overdue). Diagnosis times are the wall clock (the
 * province's clock when it is not advanced): the deadlines run from then.
 */
import { notifiableDisease } from "#domain/public-health/diseases.ts";
import type { Rng } from "#lib/seed/prng.ts";
import { caseMessage, withDiagnoses } from "#lib/world/case-reports.ts";
import { chance, sampler } from "#lib/world/draw.ts";
import { encounterSystem } from "#schemas/documents.ts";
import { mrnSystem } from "#schemas/identifiers.ts";
import type { ServiceType } from "#schemas/public-health.ts";

const SERVICES = [
  ["general", 70],
  ["chronic-follow-up", 12],
  ["tcm", 8],
  ["prenatal-care", 6],
  ["child-health-check", 3],
  ["delivery", 1],
] as const;
const NOTIFIABLE = [
  ["J11.1", 40],
  ["B08.4", 25],
  ["A09", 20],
  ["A16.0", 8],
  ["B05.9", 4],
  ["A00.9", 1],
] as const;
const NOTIFIABLE_SHARE = 0.03;
const LATE_SHARE = 0.12;

export function publicHealthDesk(rng: Rng) {
  const service = sampler(rng, SERVICES);
  const disease = sampler(rng, NOTIFIABLE);
  const counts = { prenatal: 0, deliveries: 0, childChecks: 0, chronic: 0, tcm: 0, notifiable: 0, reported: 0, late: 0, unreported: 0 };
  let forgotten = false;
  return {
    counts,
    /** The encounter with its diagnoses, and the case-report message to drop after it (when one is due) */
    visit<E extends Record<string, unknown>>(hospitalId: string, encounter: E, mrn: string, number: string, inpatient: boolean) {
      const type = (inpatient && chance(rng, 0.1) ? "delivery" : service()) as ServiceType;
      const now = new Date().toISOString();
      const codes: string[] = [];
      if (type === "chronic-follow-up") {
        counts.chronic++;
        codes.push(chance(rng, 0.6) ? "I10" : "E11.9");
      }
      if (type === "prenatal-care") counts.prenatal++;
      if (type === "delivery") counts.deliveries++;
      if (type === "child-health-check") counts.childChecks++;
      if (type === "tcm") counts.tcm++;
      let message: ReturnType<typeof caseMessage> | undefined;
      if (type === "general" && chance(rng, NOTIFIABLE_SHARE)) {
        const code = disease();
        counts.notifiable++;
        const late = chance(rng, LATE_SHARE);
        const limitHours = notifiableDisease(code)!.class === "A" ? 2 : 24;
        const diagnosedAt = late ? new Date(Date.now() - (limitHours + 1) * 3_600_000).toISOString() : now;
        codes.push(code);
        if (!forgotten && counts.notifiable >= 3) {
          forgotten = true;
          counts.unreported++;
        } else {
          counts.reported++;
          if (late) counts.late++;
          message = caseMessage({
            hospitalId,
            messageId: `CR-${number}`,
            patient: { system: mrnSystem(hospitalId), value: mrn },
            encounter: { system: encounterSystem(hospitalId), value: number },
            code,
            recordedDate: diagnosedAt,
          });
        }
        return { encounter: withDiagnoses(encounter, [{ code, recordedDate: diagnosedAt }], type), message };
      }
      return {
        encounter: withDiagnoses(
          encounter,
          codes.map((code) => ({ code, recordedDate: now })),
          type,
        ),
        message,
      };
    },
    summary() {
      const c = counts;
      return `public health: ${c.prenatal} prenatal, ${c.deliveries} delivery, ${c.childChecks} child health, ${c.chronic} chronic follow-up, ${c.tcm} TCM visits; ${c.notifiable} notifiable diagnoses, ${c.reported} reported (${c.late} late), ${c.unreported} never reported`;
    },
  };
}
