/**
 * A city's privacy context source (ports/consent.ts): the hub's `POST /internal/privacy/context`,
 * cached per hospital, practitioner and resident for at most `ttlSeconds` of the province
 * clock (bounded: `maxEntries`, the oldest dropped first), so that a consent or a revocation takes
 * effect on every city within that time (docs/consent.md#freshness). A break-the-glass is never
 * answered from the cache (the hub records it); its answer replaces the cached one.
 */
import { UpstreamError } from "#domain/errors.ts";
import type { PrivacyContextSource } from "#ports/consent.ts";
import type { SubscriptionHub } from "#ports/push.ts";
import { type PrivacyContext, privacyContextSchema } from "#schemas/privacy.ts";
import { clock } from "#shared/clock.ts";

export interface PrivacyCacheOptions {
  /** 0: no cache */
  ttlSeconds: number;
  maxEntries: number;
}

export function privacyContextSource(relay: SubscriptionHub, options: PrivacyCacheOptions): PrivacyContextSource {
  const cache = new Map<string, { until: number; context: PrivacyContext }>();
  return async (hospitalId, request) => {
    // the hub's answer does not depend on the purpose: one entry serves every purpose (and a break-the-glass replaces it)
    const key = [hospitalId, request.practitionerId ?? "", request.empi].join("|");
    const now = clock.nowMs();
    const cached = cache.get(key);
    if (cached && !request.breakGlass && cached.until > now) return cached.context;
    const answer = await relay.forward("POST", "/privacy/context", hospitalId, JSON.stringify(request));
    const parsed = privacyContextSchema.safeParse(answer.json);
    if (answer.status !== 200 || !parsed.success)
      throw new UpstreamError(`The hub's privacy context answered ${answer.status}; retry shortly`);
    if (options.ttlSeconds > 0) {
      cache.delete(key);
      cache.set(key, { until: now + options.ttlSeconds * 1000, context: parsed.data });
      while (cache.size > options.maxEntries) cache.delete(cache.keys().next().value!);
    }
    return parsed.data;
  };
}
