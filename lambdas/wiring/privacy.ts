/**
 * A city's privacy context source (docs/consent.md): the hub's internal API, cached
 * `HHC_CONSENT_CACHE_SECONDS`. Apart from the rest of consent's composition (wiring/consent.ts) so that
 * every reading function's bundle carries only this.
 */
import { privacyContextSource } from "#adapters/privacy-context.ts";
import { hubRelay } from "#adapters/subscription-hub.ts";
import type { PrivacyContextSource } from "#ports/consent.ts";
import type { HubClient } from "#shared/hub-client.ts";

/** HHC_CONSENT_CACHE_SECONDS: how long a city keeps a privacy context (0 to 60; default 30) */
export function consentCacheSeconds(): number {
  const raw = process.env.HHC_CONSENT_CACHE_SECONDS;
  if (raw === undefined || raw === "") return 30;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 60)
    throw new Error("HHC_CONSENT_CACHE_SECONDS must be a whole number, 0 to 60");
  return seconds;
}

/** A city's privacy context source over the hub's internal API */
export const cityPrivacySource = (hub: HubClient, cityId: string): PrivacyContextSource =>
  privacyContextSource(hubRelay(hub, cityId), { ttlSeconds: consentCacheSeconds(), maxEntries: 10_000 });
