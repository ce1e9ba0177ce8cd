/**
 * The reference insurance platform: adjudicates a claim (or reverses one) from the Settlement FIFO
 * queue and answers the hub. Each resident's messages arrive in order (one FIFO group); a message
 * delivered again never pays twice: the decision is recorded first, the resident's yearly totals are
 * updated with a compare-and-set on their version that also adds the decision to the ones they hold,
 * and an applied decision is only ever answered again, never re-adjudicated. (After a restart a city
 * re-sends in its own order: a decision recorded before the stop may meet totals that moved since.)
 */
import { type Adjudication, adjudicate, applyToTotals, type YearTotals } from "#domain/settlement/adjudicate.ts";
import { resolveItems } from "#domain/settlement/catalogue-items.ts";
import { type Policy, policyOn } from "#domain/settlement/policy.ts";
import type { InsuranceCatalogue, LedgerStore, StoredTotals } from "#ports/settlement.ts";
import type { ClaimAdjudicatedMessageV1, ClaimMessageV1 } from "#schemas/settlement.ts";

export interface AdjudicateDeps {
  ledger: LedgerStore;
  /** The platform's own copy of the drug catalogue, as the hub sends each version */
  catalogue: InsuranceCatalogue;
  sendResult: (result: ClaimAdjudicatedMessageV1) => Promise<void>;
  policies?: Policy[];
}

export class TotalsMovedError extends Error {
  override name = "TotalsMovedError";
}

const decisionKey = (m: { hospitalId: string; claimNumber: string; action: string }) => `${m.hospitalId}|${m.claimNumber}|${m.action}`;

function resultOf(message: ClaimMessageV1, adjudication: Adjudication, policyVersion: string, now: Date): ClaimAdjudicatedMessageV1 {
  return {
    type: "claim-adjudicated",
    version: 1,
    hospitalId: message.hospitalId,
    claimNumber: message.claimNumber,
    action: message.action,
    cityId: message.cityId,
    empi: message.empi,
    kind: message.kind,
    outcome: adjudication.outcome,
    reasons: adjudication.outcome === "error" ? adjudication.reasons : [],
    amounts: adjudication.amounts,
    policyVersion,
    settledAt: now.toISOString(),
  };
}

const ZERO = { submittedFen: 0, eligibleFen: 0, deductibleFen: 0, benefitFen: 0 };

/** What the message would do to `totals`: its answer, and the totals after it (undefined: unchanged). */
async function decide(
  deps: AdjudicateDeps,
  message: ClaimMessageV1,
  totals: StoredTotals,
  now: Date,
): Promise<{ result: ClaimAdjudicatedMessageV1; next?: YearTotals; year: string; empi: string; kind: ClaimMessageV1["kind"] }> {
  const year = message.serviceDate.slice(0, 4);
  if (message.action === "cancel") {
    const original = await deps.ledger.getDecision(message.hospitalId, message.claimNumber, "submit");
    if (original?.status !== "applied" || original.result.outcome !== "complete") {
      const reason = original?.result.outcome === "error" ? "the claim was rejected" : "the claim has not been settled";
      const adjudication: Adjudication = { outcome: "error", amounts: ZERO, reasons: [{ code: "nothing-to-reverse", detail: reason }] };
      return {
        result: resultOf(message, adjudication, original?.result.policyVersion ?? "-", now),
        year,
        empi: message.empi,
        kind: message.kind,
      };
    }
    const reversal: Adjudication = { outcome: "complete", amounts: original.result.amounts, crossCity: false, repeatAdmission: false };
    return {
      result: { ...resultOf(message, reversal, original.result.policyVersion, now), kind: original.kind, empi: original.empi },
      next: applyToTotals(totals, original.kind, original.result.amounts.benefitFen, -1),
      year: original.year,
      empi: original.empi,
      kind: original.kind,
    };
  }
  const policy = policyOn(message.serviceDate, deps.policies);
  if (!policy) {
    const adjudication: Adjudication = {
      outcome: "error",
      amounts: { ...ZERO, submittedFen: message.items.reduce((a, i) => a + i.netFen, 0) },
      reasons: [{ code: "no-policy", detail: `no insurance policy is in force on ${message.serviceDate}` }],
    };
    return { result: resultOf(message, adjudication, "-", now), year, empi: message.empi, kind: message.kind };
  }
  const codes = [...new Set(message.items.flatMap((i) => (i.insuranceCode === undefined ? [] : [i.insuranceCode])))];
  const histories = new Map(await Promise.all(codes.map(async (code) => [code, await deps.catalogue.history(code)] as const)));
  const items = resolveItems(message.items, histories, message.serviceDate);
  if (!items.ok) {
    // rejected whole, as for an unknown category: nothing is paid, the totals do not move
    const submittedFen = message.items.reduce((a, i) => a + i.netFen, 0);
    const adjudication: Adjudication = { outcome: "error", amounts: { ...ZERO, submittedFen }, reasons: items.reasons };
    return { result: resultOf(message, adjudication, policy.version, now), year, empi: message.empi, kind: message.kind };
  }
  const adjudication = adjudicate(
    {
      kind: message.kind,
      hospitalLevel: message.hospitalLevel,
      hospitalCityCode: message.hospitalCityCode,
      residentId: message.residentId,
      items: items.items,
    },
    policy,
    totals,
  );
  const next = adjudication.outcome === "complete" ? applyToTotals(totals, message.kind, adjudication.amounts.benefitFen, 1) : undefined;
  return { result: resultOf(message, adjudication, policy.version, now), next, year, empi: message.empi, kind: message.kind };
}

export async function adjudicateClaim(deps: AdjudicateDeps, message: ClaimMessageV1, now: Date): Promise<ClaimAdjudicatedMessageV1> {
  const { ledger } = deps;
  const key = decisionKey(message);
  const existing = await ledger.getDecision(message.hospitalId, message.claimNumber, message.action);
  if (existing?.status === "applied") {
    // delivered again (or re-sent by the city's sweeper): the same answer, never paid twice
    await deps.sendResult(existing.result);
    return existing.result;
  }
  // the totals this decision touches: a cancellation's are its original's (resident and year)
  const original = message.action === "cancel" ? await ledger.getDecision(message.hospitalId, message.claimNumber, "submit") : undefined;
  const empi = original?.empi ?? message.empi;
  const year = original?.year ?? message.serviceDate.slice(0, 4);
  const totals = await ledger.getTotals(empi, year);

  let decision = existing;
  if (existing && totals.applied.includes(key)) {
    // the totals were updated, then the process stopped before marking the decision: finish it
  } else {
    if (!existing || existing.basedOnVersion !== totals.version) {
      const decided = await decide(deps, message, totals, now);
      decision = {
        hospitalId: message.hospitalId,
        claimNumber: message.claimNumber,
        action: message.action,
        status: "decided",
        basedOnVersion: totals.version,
        empi: decided.empi,
        year: decided.year,
        kind: decided.kind,
        result: decided.result,
      };
      if (!(await ledger.putDecision(decision, existing?.basedOnVersion))) throw new TotalsMovedError(`decision ${key} moved`);
      if (decided.next) {
        const stored: StoredTotals = { ...decided.next, version: totals.version + 1, applied: [...totals.applied, key] };
        if (!(await ledger.putTotals(empi, year, stored, totals.version))) throw new TotalsMovedError(`totals of ${empi} ${year} moved`);
      }
    } else {
      // decided on these very totals before a stop: apply it now
      const again = await decide(deps, message, totals, now);
      if (again.next) {
        const stored: StoredTotals = { ...again.next, version: totals.version + 1, applied: [...totals.applied, key] };
        if (!(await ledger.putTotals(empi, year, stored, totals.version))) throw new TotalsMovedError(`totals of ${empi} ${year} moved`);
      }
    }
  }
  await ledger.markApplied(decision!);
  await deps.sendResult(decision!.result);
  return decision!.result;
}
