/**
 * The city's memory of the hub's practitioner check (docs/security.md#practitioners): a positive answer
 * (active, with its roles) for one practitioner at one hospital is kept `ttlSeconds` of the province clock,
 * as API Gateway keeps the authorizer's answer for a credential. A refusal is never kept, so a "no" is
 * asked again on the next request and can never be answered "yes" from memory; a failed check keeps
 * nothing. 0 asks the hub every time. A practitioner deactivated at the hub (or a role ended) may keep
 * acting at a city for up to the TTL.
 */
import type { PractitionerCheck } from "#ports/hub.ts";
import type { PractitionerCheckResponse } from "#schemas/internal.ts";
import { clock } from "./clock.ts";
import { ENV } from "./env-names.ts";

/** Entries kept at most (the oldest are forgotten first): a city function's memory stays small */
export const PRACTITIONER_CACHE_ENTRIES = 10_000;

export function cachedPractitionerCheck(
  inner: PractitionerCheck,
  ttlSeconds: number,
  nowMs: () => number = () => clock.nowMs(),
): PractitionerCheck {
  if (!(ttlSeconds > 0)) return inner;
  const known = new Map<string, { answer: PractitionerCheckResponse; until: number }>();
  return {
    async checkPractitioner(hospitalId, practitionerId) {
      // JSON of the pair: no hospital id and practitioner id can make another pair's key
      const key = JSON.stringify([hospitalId, practitionerId]);
      const hit = known.get(key);
      if (hit && hit.until > nowMs()) return hit.answer;
      known.delete(key);
      const answer = await inner.checkPractitioner(hospitalId, practitionerId);
      if (answer.active && answer.practitionerId === practitionerId) {
        if (known.size >= PRACTITIONER_CACHE_ENTRIES) known.delete(known.keys().next().value!);
        known.set(key, { answer, until: nowMs() + ttlSeconds * 1000 });
      }
      return answer;
    },
  };
}

/**
 * HHC_PRACTITIONER_CACHE_SECONDS of the environment the bundle was loaded with: whole seconds, 0 to 300;
 * absent or empty: 0 (ask the hub every time). The stacks set it from the province config.
 */
export function practitionerCacheSeconds(value: string | undefined): number {
  if (value === undefined || value === "") return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 300)
    throw new Error(`${ENV.practitionerCacheSeconds} must be a whole number of seconds from 0 to 300, not ${value}`);
  return n;
}
