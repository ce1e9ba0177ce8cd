/**
 * The telemedicine deadlines, as data (docs/telemedicine.md): calendar time from the moment a phase
 * starts. assign: from the request (and from each return to `requested`) until an expert is assigned;
 * accept: from the assignment until the owner accepts; report: from the acceptance until the report,
 * for reads; a consult's or referral's report is due within 24 h. An on-hold Task's clock stops. Pure.
 */
import type { TelemedicineCategory, TelemedicinePriority } from "#schemas/telemedicine.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;

export const TELEMEDICINE_POLICY = {
  version: "2026-12",
  deadlinesMs: {
    assign: { stat: 10 * MIN, urgent: HOUR, routine: 4 * HOUR },
    accept: { stat: 15 * MIN, urgent: HOUR, routine: 8 * HOUR },
    report: { stat: 30 * MIN, urgent: 4 * HOUR, routine: 24 * HOUR },
  },
  /** consults and referrals: the report within 24 h of the session */
  sessionReportMs: 24 * HOUR,
  /** failed assignments (declined or timed out) at one tier before the Task escalates one tier up */
  failuresBeforeEscalation: 2,
} as const;

export type Phase = "assign" | "accept" | "report";

export const isRead = (category: TelemedicineCategory): boolean => category.endsWith("-read");

/** How long a phase may last for a request of this priority and category */
export function phaseMs(phase: Phase, priority: TelemedicinePriority, category: TelemedicineCategory): number {
  if (phase === "report" && !isRead(category)) return TELEMEDICINE_POLICY.sessionReportMs;
  return TELEMEDICINE_POLICY.deadlinesMs[phase][priority];
}
