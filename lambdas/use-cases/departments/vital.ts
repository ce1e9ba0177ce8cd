/**
 * A resident's death and its reversal, as the MPI marks them (docs/departments.md#deaths).
 * `markDeceased` — input: the resident, the time of death, who told (a hospital's feed, or public
 * security's household-death); output: whether it changed anything. Primary course: read the vital
 * status; a death already known from that source changes nothing (a repeated report has one effect),
 * except public security's `update` of its register, whose amended time of death replaces the recorded
 * one (not when a hospital reported the death: the hospital's time stands);
 * publish the change on the ResidentEvents queue (its consumer runs the cascade: the death-notification
 * for a hospital's report, the health card, subscriptions, telemedicine), then write the new status
 * (compare-and-set on its version). `restoreResident` — input: the household-death message a void
 * retracts; output: whether the resident is restored (no longer deceased by any source).
 */
import { ConflictError } from "#domain/errors.ts";
import type { VitalStatus, VitalStatusStore } from "#ports/department-exchange.ts";
import type { ResidentVitalEvent } from "#schemas/departments.ts";

export interface VitalDeps {
  vital: VitalStatusStore;
  publish: (event: ResidentVitalEvent) => Promise<void>;
}

export interface DeathReport {
  empi: string;
  deceasedDateTime: string;
  residentId?: string;
  source: "health" | "public-security";
  /** the hospital that reported it (health) */
  reportedBy?: string;
  /** the household-death message (public security) */
  messageId?: string;
  /** public security's `update` of its household-death: its time of death replaces the one recorded */
  amended?: boolean;
}

const next = (current: VitalStatus | undefined, change: Partial<VitalStatus>, empi: string, now: Date): VitalStatus => ({
  empi,
  deceased: false,
  knownToHealth: false,
  knownToPublicSecurity: false,
  ...current,
  ...change,
  version: (current?.version ?? 0) + 1,
  updatedAt: now.toISOString(),
});

async function write(deps: VitalDeps, status: VitalStatus): Promise<void> {
  if (!(await deps.vital.put(status))) throw new ConflictError(`the vital status of ${status.empi} changed meanwhile; retry`, "Patient");
}

export async function markDeceased(deps: VitalDeps, report: DeathReport, now: Date): Promise<"marked" | "already"> {
  const current = await deps.vital.get(report.empi);
  const known = report.source === "health" ? current?.knownToHealth : current?.knownToPublicSecurity;
  if (current?.deceased && known) {
    // an amended time of death from public security applies, unless a hospital reported the death (its certificate's time stands)
    const amend = report.amended && report.source === "public-security" && !current.knownToHealth;
    if (!amend || current.deceasedDateTime === report.deceasedDateTime) return "already";
    await write(deps, next(current, { deceasedDateTime: report.deceasedDateTime }, report.empi, now));
    return "marked";
  }
  const status = next(
    current,
    {
      deceased: true,
      deceasedDateTime: current?.deceased ? (current.deceasedDateTime ?? report.deceasedDateTime) : report.deceasedDateTime,
      ...(report.residentId ? { residentId: report.residentId } : {}),
      ...(report.source === "health"
        ? { knownToHealth: true, ...(report.reportedBy ? { reportedBy: report.reportedBy } : {}) }
        : { knownToPublicSecurity: true, ...(report.messageId ? { householdMessageId: report.messageId } : {}) }),
    },
    report.empi,
    now,
  );
  // the cascade runs for the first death known, and the departments are told of a hospital's report
  if (!current?.deceased || report.source === "health")
    await deps.publish({
      type: "resident-vital-change",
      version: 1,
      messageId: `vital-${report.empi}-${status.version}`,
      empi: report.empi,
      change: "deceased",
      deceasedDateTime: status.deceasedDateTime,
      ...(status.residentId ? { residentId: status.residentId } : {}),
      source: report.source,
      ...(report.reportedBy ? { reportedBy: report.reportedBy } : {}),
      at: now.toISOString(),
    });
  await write(deps, status);
  return "marked";
}

/** Public security's void of its household-death `messageId`: the resident is restored unless a hospital reported the death too */
export async function restoreResident(deps: VitalDeps, empi: string, messageId: string, now: Date): Promise<"restored" | "unchanged"> {
  const current = await deps.vital.get(empi);
  if (!current?.knownToPublicSecurity || current.householdMessageId !== messageId) return "unchanged";
  const { householdMessageId: _voided, ...rest } = current;
  const deceased = current.knownToHealth;
  const status = next(rest, { knownToPublicSecurity: false, deceased, ...(deceased ? {} : { deceasedDateTime: undefined }) }, empi, now);
  if (!deceased)
    await deps.publish({
      type: "resident-vital-change",
      version: 1,
      messageId: `vital-${empi}-${status.version}`,
      empi,
      change: "restored",
      source: "public-security",
      at: now.toISOString(),
    });
  await write(deps, status);
  return deceased ? "unchanged" : "restored";
}

export interface Reconciliation {
  month: string;
  /** deaths a hospital reported that public security has not registered */
  healthOnly: { empi: string; residentId?: string; deceasedDateTime?: string }[];
  /** deaths public security registered that no hospital reported */
  publicSecurityOnly: { empi: string; residentId?: string; deceasedDateTime?: string }[];
}

/** The China Standard Time month (YYYY-MM) of an instant */
const cstMonth = (at: string): string => new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(0, 7);

/** The deaths of a month (China Standard Time) known to one side only: health's reports against public security's register */
export async function reconcileDeaths(vital: VitalStatusStore, month: string): Promise<Reconciliation> {
  const deaths = (await vital.listDeaths()).filter((s) => s.deceased && s.deceasedDateTime && cstMonth(s.deceasedDateTime) === month);
  const row = (s: VitalStatus) => ({
    empi: s.empi,
    ...(s.residentId ? { residentId: s.residentId } : {}),
    ...(s.deceasedDateTime ? { deceasedDateTime: s.deceasedDateTime } : {}),
  });
  const sorted = (rows: VitalStatus[]) => rows.map(row).sort((a, b) => a.empi.localeCompare(b.empi));
  return {
    month,
    healthOnly: sorted(deaths.filter((s) => s.knownToHealth && !s.knownToPublicSecurity)),
    publicSecurityOnly: sorted(deaths.filter((s) => s.knownToPublicSecurity && !s.knownToHealth)),
  };
}
