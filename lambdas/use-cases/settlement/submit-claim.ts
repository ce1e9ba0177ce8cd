/**
 * A hospital submits (or cancels) a claim at its city node (docs/settlement.md).
 * Input: the Claim as sent. Output: 202 once recorded. Primary course: validate (400 naming the
 * field, 403 for another hospital's name or numbering), resolve the resident at the hub's MPI (the
 * EMPI for the FIFO group, the resident ID number for the insurance city; 422 without one), record
 * the claim durably, then send it to the hub's Settlement FIFO queue; the claim sweeper re-sends what
 * has no ClaimResponse yet. Idempotent on hospital + claim number: unchanged → the same 202;
 * changed → 409; `status: cancelled` → a reversal, recorded and sent as its own action.
 */
import { createHash } from "node:crypto";
import { insuranceDrugCodeProblems, traceCodeProblems } from "#domain/drugs/codes.ts";
import { BadRequestError, ConflictError, ForbiddenError, type Issue, NotFoundError, UnavailableError, zodIssues } from "#domain/errors.ts";
import { cstDay } from "#domain/settlement/claim-response.ts";
import { parseJsonKeepingNumbers } from "#domain/settlement/json-numbers.ts";
import { parseCnyText } from "#domain/settlement/money.ts";
import type { ClaimRecord, ClaimStore } from "#ports/settlement.ts";
import { INSURANCE_DRUG_CODE_SYSTEM, TRACE_CODE_EXTENSION } from "#schemas/drugs.ts";
import {
  CLAIM_TYPE_SYSTEM,
  type Claim,
  type ClaimMessageV1,
  claimSchema,
  claimSystem,
  INSURANCE_CATEGORY_EXTENSION,
} from "#schemas/settlement.ts";

import { logger } from "#shared/logger.ts";

export const CLAIM_FIRST_RESEND_SECONDS = 30;
export const CLAIM_MAX_ATTEMPTS = 12;
/** Seconds before attempt `attempts + 1` is due: 30 s, 1 min, 2 min … capped at one hour */
export const claimBackoffSeconds = (attempts: number): number =>
  Math.min(CLAIM_FIRST_RESEND_SECONDS * 2 ** Math.max(0, attempts - 1), 3600);

export interface ReadClaim {
  claim: Claim;
  claimNumber: string;
  action: ClaimMessageV1["action"];
  kind: ClaimMessageV1["kind"];
  serviceDate: string;
  items: ClaimMessageV1["items"];
  /** sha-256 of the canonical JSON of the claim */
  hash: string;
}

const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(",")}]`
    : v && typeof v === "object"
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(",")}}`
      : JSON.stringify(v);

const FEN_REASONS = {
  malformed: "is not a decimal amount",
  negative: "must not be negative",
  "over-precise": "has more than 2 decimals (CNY is counted in fen)",
  "too-large": "is too large",
} as const;

/**
 * Parses and checks a Claim for `hospitalId` from the body's text (its amounts are read as the decimal
 * texts they were sent as): 400 naming the field, 403 for another hospital's claim.
 */
export function readClaim(raw: string | undefined, hospitalId: string): ReadClaim {
  if (!raw) throw new BadRequestError([{ code: "required", diagnostics: "A JSON body is required", expression: "body" }]);
  let parsed: ReturnType<typeof parseJsonKeepingNumbers>;
  try {
    parsed = parseJsonKeepingNumbers(raw);
  } catch {
    throw new BadRequestError([{ code: "structure", diagnostics: "The body is not valid JSON", expression: "body" }]);
  }
  const checked = claimSchema.safeParse(parsed.json);
  if (!checked.success) throw new BadRequestError(zodIssues(checked.error, "Claim"));
  const claim = checked.data;

  const issues: Issue[] = [];
  const items = claim.item.map((item, i) => {
    const field = `Claim.item.${i}.net.value`;
    const fen = parseCnyText(parsed.numbers.get(`item.${i}.net.value`) ?? "");
    if (!fen.ok) issues.push({ code: "invalid", diagnostics: `${field}: ${FEN_REASONS[fen.reason]}`, expression: field });
    const category = item.extension.find((e) => e.url === INSURANCE_CATEGORY_EXTENSION)?.valueCode;
    // coded with an insurance drug code: the platform takes the category from its catalogue copy
    const coding = item.productOrService.coding.findIndex((c) => c.system === INSURANCE_DRUG_CODE_SYSTEM);
    const insuranceCode = item.productOrService.coding[coding]?.code;
    const codeProblem = insuranceCode === undefined ? undefined : insuranceDrugCodeProblems(insuranceCode)[0];
    if (codeProblem) {
      const at = `Claim.item.${i}.productOrService.coding.${coding}.code`;
      issues.push({ code: "invalid", diagnostics: `${at}: ${codeProblem}`, expression: at });
    }
    const trace = item.extension.findIndex((e) => e.url === TRACE_CODE_EXTENSION);
    const traceCode = item.extension[trace]?.valueString;
    const traceProblem = trace < 0 ? undefined : traceCode === undefined ? "a valueString is required" : traceCodeProblems(traceCode)[0];
    if (traceProblem) {
      const at = `Claim.item.${i}.extension.${trace}.valueString`;
      issues.push({ code: "invalid", diagnostics: `${at}: ${traceProblem}`, expression: at });
    }
    return {
      sequence: item.sequence,
      ...(insuranceCode === undefined ? { category } : { insuranceCode }),
      ...(traceCode === undefined ? {} : { traceCode }),
      netFen: fen.ok ? fen.fen : 0,
    };
  });
  const sequences = new Set(items.map((i) => i.sequence));
  if (sequences.size !== items.length)
    issues.push({ code: "invalid", diagnostics: "Claim.item: each item needs its own sequence", expression: "Claim.item" });
  const start = claim.billablePeriod.start;
  const serviceDate = start.length === 10 ? start : cstDay(start);
  if (
    Number.isNaN(Date.parse(`${serviceDate}T00:00:00Z`)) ||
    new Date(`${serviceDate}T00:00:00Z`).toISOString().slice(0, 10) !== serviceDate
  )
    issues.push({
      code: "invalid",
      diagnostics: "Claim.billablePeriod.start: not a calendar day",
      expression: "Claim.billablePeriod.start",
    });
  if (issues.length > 0) throw new BadRequestError(issues);

  if (claim.provider.reference !== `Organization/${hospitalId}`)
    throw new ForbiddenError(`Claim.provider: a hospital submits only its own claims (Organization/${hospitalId})`);
  const own = claim.identifier.filter((i) => i.system === claimSystem(hospitalId));
  if (
    own.length !== 1 ||
    claim.identifier.some((i) => i.system.startsWith("https://hebei.health/sid/claim/") && i.system !== claimSystem(hospitalId))
  )
    throw new ForbiddenError(`Claim.identifier: exactly one claim number under ${claimSystem(hospitalId)}, and none of another hospital's`);
  const kind = claim.type.coding.find((c) => c.system === CLAIM_TYPE_SYSTEM)!.code as ClaimMessageV1["kind"];
  const { status: _status, ...content } = claim;
  return {
    claim,
    claimNumber: own[0]!.value,
    action: claim.status === "cancelled" ? "cancel" : "submit",
    kind,
    serviceDate,
    items,
    hash: createHash("sha256").update(canonical(content)).digest("hex"),
  };
}

export interface SubmitDeps {
  claims: ClaimStore;
  send: (message: ClaimMessageV1, body: string) => Promise<void>;
  /**
   * The traceability codes among `codes` the hub's registry shows reused by this hospital (dispensed
   * while another hospital's dispense was in force, or flagged as its repeat): only called for a new claim
   */
  reusedTraceCodes: (codes: string[]) => Promise<Set<string>>;
  /** Resolves the resident and the hospital: only called for a claim not yet recorded */
  resolve: (
    read: ReadClaim,
  ) => Promise<
    Omit<ClaimMessageV1, "type" | "version" | "hospitalId" | "claimNumber" | "action" | "kind" | "serviceDate" | "items" | "submittedAt">
  >;
}

/**
 * A resubmission of a claim not settled yet sends it again at once (an FEP retrying after a timeout
 * need not wait for the sweeper); the de-duplication id and the platform's ledger keep it single.
 */
async function resendPending(deps: SubmitDeps, record: ClaimRecord): Promise<ClaimMessageV1> {
  const message = JSON.parse(record.message) as ClaimMessageV1;
  if (record.status === "pending") {
    await deps.send(message, record.message).catch((error: Error) => {
      logger.warn("claim re-send failed; left to the claim sweeper", { claimKey: record.claimKey, error });
    });
  }
  return message;
}

export const claimKeyOf = (hospitalId: string, claimNumber: string) => `${hospitalId}|${claimNumber}`;

export async function submitClaim(
  deps: SubmitDeps,
  hospitalId: string,
  read: ReadClaim,
  now: Date,
): Promise<{ message: ClaimMessageV1; duplicate: boolean }> {
  const claimKey = claimKeyOf(hospitalId, read.claimNumber);
  const original = await deps.claims.get(claimKey, "submit");
  let message: ClaimMessageV1;
  if (read.action === "submit") {
    if (original) {
      if (original.hash !== read.hash)
        throw new ConflictError(
          `Claim ${read.claimNumber} was submitted with other content; a changed claim needs a new claim number`,
          "Claim.identifier",
        );
      return { message: await resendPending(deps, original), duplicate: true };
    }
    // the traceability codes are checked once, at submission: the recorded message carries the answer
    const traceCodes = read.items.flatMap((i) => (i.traceCode ? [i.traceCode] : []));
    const reused = traceCodes.length > 0 ? await deps.reusedTraceCodes([...new Set(traceCodes)]) : new Set<string>();
    message = {
      type: "claim",
      version: 1,
      hospitalId,
      claimNumber: read.claimNumber,
      action: "submit",
      kind: read.kind,
      serviceDate: read.serviceDate,
      items: read.items.map((i) => (i.traceCode && reused.has(i.traceCode) ? { ...i, traceReused: true } : i)),
      submittedAt: now.toISOString(),
      ...(await deps.resolve(read)),
    };
  } else {
    if (!original) throw new NotFoundError(`Claim ${read.claimNumber} was never submitted here, so there is nothing to cancel`);
    const cancelled = await deps.claims.get(claimKey, "cancel");
    if (cancelled) return { message: await resendPending(deps, cancelled), duplicate: true };
    message = { ...(JSON.parse(original.message) as ClaimMessageV1), action: "cancel", submittedAt: now.toISOString() };
  }
  const body = JSON.stringify(message);
  const record: ClaimRecord = {
    claimKey,
    action: message.action,
    hash: read.hash,
    message: body,
    status: "pending",
    createdAt: now.toISOString(),
    attempts: 1,
    nextAttemptAt: new Date(now.getTime() + claimBackoffSeconds(1) * 1000).toISOString(),
  };
  if (!(await deps.claims.record(record))) {
    // a concurrent identical submission recorded it first
    const winner = await deps.claims.get(claimKey, message.action);
    if (winner && winner.hash !== read.hash && message.action === "submit")
      throw new ConflictError(
        `Claim ${read.claimNumber} was submitted with other content; a changed claim needs a new claim number`,
        "Claim.identifier",
      );
    if (!winner) throw new UnavailableError("The claim could not be recorded; retry");
    return { message: JSON.parse(winner.message) as ClaimMessageV1, duplicate: true };
  }
  try {
    await deps.send(message, body);
  } catch (error) {
    logger.warn("claim send failed; left to the claim sweeper", { claimKey, error: error as Error });
  }
  return { message, duplicate: false };
}

export interface ClaimSweepDeps {
  claims: ClaimStore;
  send: (message: ClaimMessageV1, body: string) => Promise<void>;
  /** Whether the hub already holds the ClaimResponse of this claim and action */
  settled: (message: ClaimMessageV1) => Promise<boolean>;
}

/**
 * Re-sends claims without a ClaimResponse when due, with backoff; parks them after CLAIM_MAX_ATTEMPTS.
 * A few at a time, within a time budget (what is left is due at the next run).
 */
export async function sweepClaims(
  deps: ClaimSweepDeps,
  now: Date,
  options: { concurrency: number; budgetMs: number } = { concurrency: 8, budgetMs: 40_000 },
): Promise<{ resent: number; settled: number; parked: number }> {
  const result = { resent: 0, settled: 0, parked: 0 };
  const due = await deps.claims.listDue(now.toISOString());
  const started = performance.now(); // a duration (the Lambda's time budget), not the province's time
  const sweepOne = async (record: ClaimRecord): Promise<void> => {
    const message = JSON.parse(record.message) as ClaimMessageV1;
    const done = await deps.settled(message).catch((error: Error) => {
      // the hub's search is unavailable: re-send anyway (the platform answers a claim once)
      logger.warn("could not ask the hub whether a claim is settled", { claimKey: record.claimKey, error });
      return false;
    });
    if (done) {
      await deps.claims.markSettled(record);
      result.settled++;
      return;
    }
    if (record.attempts >= CLAIM_MAX_ATTEMPTS) {
      if (await deps.claims.markAttempt(record, record.nextAttemptAt, "parked")) {
        logger.error("claim parked after bounded re-sends", { claimKey: record.claimKey, action: record.action });
        result.parked++;
      }
      return;
    }
    const next = new Date(now.getTime() + claimBackoffSeconds(record.attempts + 1) * 1000).toISOString();
    if (!(await deps.claims.markAttempt(record, next, "pending"))) return;
    try {
      await deps.send(message, record.message);
      result.resent++;
    } catch (error) {
      logger.warn("claim re-send failed", { claimKey: record.claimKey, error: error as Error });
    }
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < due.length && performance.now() - started < options.budgetMs) await sweepOne(due[next++]!);
    }),
  );
  return result;
}
