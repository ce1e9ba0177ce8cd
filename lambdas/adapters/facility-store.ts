/** The hospitals of the facility registry (hub), read from the registry's search entries. */

import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { ORGANIZATION_TYPE_SYSTEM } from "#domain/registry/codes.ts";
import { decodeTokenSortKey, paramIndexKey, tokenSortKey } from "#domain/registry/index-entries.ts";
import { referencedId } from "#domain/registry/resources.ts";
import type { FacilityStore, HospitalCities } from "#ports/registry.ts";
import { documentClient } from "#shared/aws.ts";
import { queryIndex } from "./registry-store.ts";

/** Hospitals are the Organizations of type prov; their entries carry the city (docs/adr/0007). */
export const dynamoFacilityStore = (indexTable: string): FacilityStore => ({
  async listSummaries() {
    const hits = await queryIndex(indexTable, { indexKey: paramIndexKey("Organization", "type", "prov") });
    return hits.flatMap((hit) => {
      const { system, ref } = decodeTokenSortKey(hit.sortKey);
      const hospitalId = referencedId(ref, "Organization");
      return system === ORGANIZATION_TYPE_SYSTEM && hospitalId && hit.cityId ? [{ hospitalId, cityId: hit.cityId }] : [];
    });
  },
});

/** A hospital's city: its Organization's type entry (type prov), one strongly consistent read. */
export const dynamoHospitalCities = (indexTable: string): HospitalCities => ({
  async cityOf(hospitalId) {
    const out = await documentClient().send(
      new GetCommand({
        TableName: indexTable,
        Key: {
          indexKey: paramIndexKey("Organization", "type", "prov"),
          sortKey: tokenSortKey(ORGANIZATION_TYPE_SYSTEM, `Organization/${hospitalId}`),
        },
        ProjectionExpression: "cityId",
        ConsistentRead: true,
      }),
    );
    return typeof out.Item?.cityId === "string" ? out.Item.cityId : undefined;
  },
});

/**
 * A hospital's city, remembered for `ttlMs` per warm function once found: every call of a city node to
 * the hub's internal API asks it, and a hospital's city changes only by an operator's correction of the
 * registry (seen within the TTL). An unknown hospital is asked again each time: it may be registered next.
 */
export function cachedHospitalCities(inner: HospitalCities, ttlMs: number, nowMs: () => number = Date.now): HospitalCities {
  const known = new Map<string, { cityId: string; until: number }>();
  return {
    async cityOf(hospitalId) {
      const hit = known.get(hospitalId);
      if (hit && hit.until > nowMs()) return hit.cityId;
      const cityId = await inner.cityOf(hospitalId);
      if (cityId) known.set(hospitalId, { cityId, until: nowMs() + ttlMs });
      else known.delete(hospitalId);
      return cityId;
    },
  };
}
