/**
 * The FHIR R4 ClaimResponse of an adjudicated claim (or of its reversal), and the hospital's inbox
 * Communication announcing it. Pure.
 */
import { createHash } from "node:crypto";
import type { InboxCommunication } from "#schemas/messages.ts";
import { EMPI_SYSTEM } from "#schemas/patient.ts";
import {
  ADJUDICATION_SYSTEM,
  CLAIM_ERROR_SYSTEM,
  CLAIM_TYPE_SYSTEM,
  type ClaimAdjudicatedMessageV1,
  claimSystem,
  POLICY_VERSION_EXTENSION,
} from "#schemas/settlement.ts";
import { fenToCny } from "./money.ts";

/** Stable FHIR id ([A-Za-z0-9-.]{1,64}) of the answer to one claim and action */
export const claimResponseId = (r: { hospitalId: string; claimNumber: string; action: string }): string =>
  `${r.hospitalId.slice(0, 24)}-${createHash("sha256").update(r.claimNumber).digest("hex").slice(0, 24)}-${r.action}`;

export function buildClaimResponse(r: ClaimAdjudicatedMessageV1): Record<string, unknown> {
  const money = (category: string, fen: number) => ({
    category: { coding: [{ system: ADJUDICATION_SYSTEM, code: category }] },
    amount: { value: fenToCny(fen), currency: "CNY" },
  });
  const reversal = r.action === "cancel";
  return {
    resourceType: "ClaimResponse",
    id: claimResponseId(r),
    extension: [{ url: POLICY_VERSION_EXTENSION, valueString: r.policyVersion }],
    identifier: [{ system: `${claimSystem(r.hospitalId)}/response`, value: `${r.claimNumber}|${r.action}` }],
    status: reversal ? "cancelled" : "active",
    type: { coding: [{ system: CLAIM_TYPE_SYSTEM, code: r.kind }] },
    use: "claim",
    patient: { identifier: { system: EMPI_SYSTEM, value: r.empi } },
    created: r.settledAt,
    insurer: { display: "河北省基本医疗保险 (Hebei basic medical insurance)" },
    requestor: { reference: `Organization/${r.hospitalId}` },
    request: { identifier: { system: claimSystem(r.hospitalId), value: r.claimNumber } },
    outcome: r.outcome,
    disposition: reversal
      ? r.outcome === "complete"
        ? "Reversed: the fund amount and the admission are released"
        : "Reversal refused"
      : r.outcome === "complete"
        ? "Settled"
        : "Rejected",
    total: [
      money("submitted", r.amounts.submittedFen),
      money("eligible", r.amounts.eligibleFen),
      money("deductible", r.amounts.deductibleFen),
      money("benefit", r.amounts.benefitFen),
    ],
    ...(r.reasons.length > 0
      ? { error: r.reasons.map((e) => ({ code: { coding: [{ system: CLAIM_ERROR_SYSTEM, code: e.code }], text: e.detail } })) }
      : {}),
  };
}

/** The hospital's inbox notice of the ClaimResponse (its id stable, so a redelivery is stored once) */
export function claimResponseCommunication(r: ClaimAdjudicatedMessageV1): InboxCommunication {
  const id = claimResponseId(r);
  return {
    resourceType: "Communication",
    id: `cr-${id}`.slice(0, 64),
    status: "completed",
    sent: r.settledAt,
    recipient: [{ reference: `Organization/${r.hospitalId}` }],
    subject: { reference: `Patient/${r.empi}`, identifier: { system: EMPI_SYSTEM, value: r.empi } },
    payload: [{ contentReference: { reference: `ClaimResponse/${id}` } }],
    basedOn: [{ reference: `Claim?identifier=${claimSystem(r.hospitalId)}|${r.claimNumber}` }],
  };
}

/** The China Standard Time (UTC+8) day of an instant: the reconciliation day */
export const cstDay = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

export interface ReconciliationRow {
  hospitalId: string;
  claims: number;
  reversals: number;
  submittedFen: number;
  fundFen: number;
  patientFen: number;
}

/** Net figures per hospital: settlements add, reversals subtract; rejected claims settle nothing. */
export function reconcile(entries: { hospitalId: string; action: "submit" | "cancel"; submittedFen: number; benefitFen: number }[]) {
  const rows = new Map<string, ReconciliationRow>();
  for (const e of entries) {
    const row = rows.get(e.hospitalId) ?? { hospitalId: e.hospitalId, claims: 0, reversals: 0, submittedFen: 0, fundFen: 0, patientFen: 0 };
    const sign = e.action === "submit" ? 1 : -1;
    if (e.action === "submit") row.claims++;
    else row.reversals++;
    row.submittedFen += sign * e.submittedFen;
    row.fundFen += sign * e.benefitFen;
    row.patientFen = row.submittedFen - row.fundFen;
    rows.set(e.hospitalId, row);
  }
  return [...rows.values()].sort((a, b) => a.hospitalId.localeCompare(b.hospitalId));
}
