/**
 * The resident health card, pure (docs/health-card.md): the card id and card key derived from the
 * province secret with HMAC-SM3, the static and dynamic codes, and the order in which a presented
 * code is judged. No store, no clock: time is an argument, reuse is the caller's conditional write.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import {
  CARD_ID,
  CARD_KEY,
  type CardStatus,
  type CareStep,
  CODE_LIFETIME_SECONDS,
  CODE_PREFIX,
  CODE_SKEW_SECONDS,
  DYNAMIC_ONLY_STEPS,
  HEALTH_CARD_OUTCOME_SYSTEM,
  NONCE,
  type VerifyOutcome,
} from "#schemas/health-card.ts";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32 without padding */
export function base32(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let acc = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  return bits > 0 ? out + BASE32[(acc << (5 - bits)) & 31] : out;
}

const hmacSm3 = (key: Uint8Array, text: string): Buffer => createHmac("sm3", key).update(text, "utf8").digest();

/** The ID document's value as cards are derived from it: trimmed, upper case */
export const normalizeDocument = (value: string): string => value.trim().toUpperCase();

/**
 * The card id of a resident's `generation`-th card on an ID document: the first 20 bytes of
 * HMAC-SM3(secret, "hc1-card-id|<system>|<value>|<generation>") in base32 (32 characters). The same
 * document and generation always give the same card; without the secret the id says nothing of the number.
 */
export function cardIdOf(secret: Uint8Array, document: { system: string; value: string }, generation: number): string {
  if (!Number.isInteger(generation) || generation < 1) throw new RangeError("generation: a whole number from 1");
  const mac = hmacSm3(secret, `hc1-card-id|${document.system}|${normalizeDocument(document.value)}|${generation}`);
  return base32(mac.subarray(0, 20));
}

/** The card's key: HMAC-SM3(secret, "hc1-card-key|<cardId>"), 32 bytes, given to the resident as 64 hex digits */
export const cardKeyOf = (secret: Uint8Array, cardId: string): string => hmacSm3(secret, `hc1-card-key|${cardId}`).toString("hex");

export const staticCode = (cardId: string): string => `${CODE_PREFIX}:${cardId}`;

/** The mac of a dynamic code: the first 32 lowercase hex digits of HMAC-SM3(card key bytes, "HC1:<cardId>:<seconds>:<nonce>") */
export function codeMac(cardKeyHex: string, signed: string): string {
  if (!CARD_KEY.test(cardKeyHex)) throw new RangeError("cardKey: 64 lowercase hex digits");
  return hmacSm3(Buffer.from(cardKeyHex, "hex"), signed).toString("hex").slice(0, 32);
}

/** A dynamic code at `unixSeconds` with `nonce`, as the resident's app (and `npm run health-card -- code`) makes it offline */
export function dynamicCode(cardId: string, cardKeyHex: string, unixSeconds: number, nonce: string): string {
  if (!NONCE.test(nonce)) throw new RangeError("nonce: 8 to 32 characters of A-Z, a-z, 0-9");
  const signed = `${CODE_PREFIX}:${cardId}:${unixSeconds}:${nonce}`;
  return `${signed}:${codeMac(cardKeyHex, signed)}`;
}

export type ParsedCode =
  | { kind: "static"; cardId: string }
  | { kind: "dynamic"; cardId: string; seconds: number; nonce: string; mac: string; signed: string }
  | { kind: "malformed"; reason: string };

const SECONDS = /^(0|[1-9]\d{0,11})$/;
const MAC = /^[0-9a-f]{32}$/;

/** Splits a presented code on ':'. The card id is matched without regard to case. */
export function parseCode(code: string): ParsedCode {
  const parts = code.trim().split(":");
  if (parts[0] !== CODE_PREFIX) return { kind: "malformed", reason: `a code starts ${CODE_PREFIX}:` };
  const cardId = (parts[1] ?? "").toUpperCase();
  if (!CARD_ID.test(cardId)) return { kind: "malformed", reason: "a card id is 32 characters of A-Z and 2-7" };
  if (parts.length === 2) return { kind: "static", cardId };
  if (parts.length !== 5) return { kind: "malformed", reason: "a dynamic code is HC1:<cardId>:<unix seconds>:<nonce>:<mac>" };
  const [, , seconds, nonce, mac] = parts as [string, string, string, string, string];
  if (!SECONDS.test(seconds)) return { kind: "malformed", reason: "the time is whole unix seconds" };
  if (!NONCE.test(nonce)) return { kind: "malformed", reason: "the nonce is 8 to 32 characters of A-Z, a-z, 0-9" };
  if (!MAC.test(mac)) return { kind: "malformed", reason: "the mac is 32 lowercase hex digits" };
  return { kind: "dynamic", cardId, seconds: Number(seconds), nonce, mac, signed: `${CODE_PREFIX}:${cardId}:${seconds}:${nonce}` };
}

/** Whether the mac is the card key's (constant time) */
export function macMatches(code: Extract<ParsedCode, { kind: "dynamic" }>, cardKeyHex: string): boolean {
  return timingSafeEqual(Buffer.from(codeMac(cardKeyHex, code.signed), "hex"), Buffer.from(code.mac, "hex"));
}

export interface Judgement {
  outcome: VerifyOutcome;
  reason: string;
}

/**
 * A code of a known card, judged in the documented order after "malformed" and "unknown card":
 * mac → invalid; card state → card-inactive; a static code at pharmacy, payment or inpatient →
 * dynamic-code-required; time → expired (older than 5 minutes, or over 60 s ahead of `nowSeconds`).
 * "accepted" here still needs the once-only use (replayed) that the caller's conditional write decides.
 */
export function judgeCode(
  code: Exclude<ParsedCode, { kind: "malformed" }>,
  card: { status: CardStatus; cardKeyHex: string },
  careStep: CareStep,
  nowSeconds: number,
): Judgement {
  if (code.kind === "dynamic" && !macMatches(code, card.cardKeyHex))
    return { outcome: "invalid", reason: "the code's mac is not this card's" };
  if (card.status !== "active") return { outcome: "card-inactive", reason: `the card is ${card.status}` };
  if (code.kind === "static") {
    return DYNAMIC_ONLY_STEPS.includes(careStep)
      ? { outcome: "dynamic-code-required", reason: `a static code does not serve at ${careStep}: show the dynamic code` }
      : { outcome: "accepted", reason: "static code" };
  }
  if (code.seconds > nowSeconds + CODE_SKEW_SECONDS) return { outcome: "expired", reason: "the code is dated ahead of the province clock" };
  if (code.seconds + CODE_LIFETIME_SECONDS < nowSeconds) return { outcome: "expired", reason: "the code is older than 5 minutes" };
  return { outcome: "accepted", reason: "dynamic code" };
}

/** Until when a dynamic code's use must be remembered to refuse its replay (unix seconds) */
export const replayHorizon = (seconds: number): number => seconds + CODE_LIFETIME_SECONDS + 1;

/** Transitions of a card's status: a cancelled card stays cancelled (a reissue makes the next generation) */
export function canChangeStatus(from: CardStatus, to: CardStatus): boolean {
  if (from === "cancelled") return false;
  return from !== to;
}

/** The store's key of an ID document: HMAC-SM3(secret, "hc1-document|<system>|<value>") in hex, never the number in clear */
export const documentKeyOf = (secret: Uint8Array, document: { system: string; value: string }): string =>
  hmacSm3(secret, `hc1-document|${document.system}|${normalizeDocument(document.value)}`).toString("hex");

/** The 422 body of a refused verification: `issue[0].details.coding` says why */
export function refusalOutcome(judgement: Judgement): Record<string, unknown> {
  return {
    resourceType: "OperationOutcome",
    issue: [
      {
        severity: "error",
        code: judgement.outcome === "expired" ? "expired" : "business-rule",
        details: { coding: [{ system: HEALTH_CARD_OUTCOME_SYSTEM, code: judgement.outcome }], text: judgement.reason },
        diagnostics: `${judgement.outcome}: ${judgement.reason}`,
        expression: ["code"],
      },
    ],
  };
}

/** An encounter as the card-based visit rate counts it: where, whose, when it began */
export interface EncounterVisit {
  hospitalId: string;
  cityId: string;
  empi: string;
  /** Encounter.period.start (or when the hub recorded it), an ISO instant */
  start: string;
}

/** A verification as the visit rate reads it (a CardUse's fields) */
export interface CardVerification {
  hospitalId: string;
  empi?: string;
  careStep: CareStep;
  outcome: VerifyOutcome;
  at: string;
}

/** How long before an encounter a card verification at registration makes it a card-based visit */
export const CARD_VISIT_WINDOW_MS = 3_600_000;

/**
 * Of `encounters`, the card-based ones: preceded, within an hour (inclusive, not after the start), at
 * the same hospital, by an accepted card verification at registration (static or dynamic code) for the
 * same resident. Per hospital: `${cityId}|${hospitalId}` → { encounters, byCard }.
 */
export function cardBasedVisits(
  encounters: readonly EncounterVisit[],
  verifications: readonly CardVerification[],
): Map<string, { cityId: string; hospitalId: string; encounters: number; byCard: number }> {
  const registrations = new Map<string, number[]>();
  for (const v of verifications) {
    if (v.careStep !== "registration" || v.outcome !== "accepted" || !v.empi) continue;
    const key = `${v.hospitalId}|${v.empi}`;
    registrations.set(key, [...(registrations.get(key) ?? []), Date.parse(v.at)]);
  }
  const out = new Map<string, { cityId: string; hospitalId: string; encounters: number; byCard: number }>();
  for (const e of encounters) {
    const key = `${e.cityId}|${e.hospitalId}`;
    const row = out.get(key) ?? { cityId: e.cityId, hospitalId: e.hospitalId, encounters: 0, byCard: 0 };
    out.set(key, row);
    row.encounters++;
    const start = Date.parse(e.start);
    if ((registrations.get(`${e.hospitalId}|${e.empi}`) ?? []).some((at) => at <= start && start - at <= CARD_VISIT_WINDOW_MS))
      row.byCard++;
  }
  return out;
}
