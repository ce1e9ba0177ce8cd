/** The hospitals of the facility registry (hub), read from the registry's search entries. */

import { ORGANIZATION_TYPE_SYSTEM } from "#domain/registry/codes.ts";
import { decodeTokenSortKey, paramIndexKey } from "#domain/registry/index-entries.ts";
import { referencedId } from "#domain/registry/resources.ts";
import type { FacilityStore } from "#ports/registry.ts";
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
