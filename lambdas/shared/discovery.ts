/**
 * Run-time discovery of other nodes through SSM parameters (DESIGN.md decision 3), cached per
 * bundle instance for a few minutes so that a re-deployed node is found again without a restart.
 * Which cities exist is discovered too (each city publishes its profile), never compiled in: a
 * city added after a node was built is found within CITIES_TTL_MS, or at once when asked for by id.
 * Parameters are read through aws-api.ts (SSM's JSON protocol, signed), not the SSM client.
 */
import { type CityProfile, cityProfileSchema } from "#schemas/city.ts";
import { parameterStore } from "./aws-api.ts";
import { clock } from "./clock.ts";
import { discoveryNames } from "./discovery-names.ts";

const TTL_MS = 5 * 60_000;
/** How long a listing of the cities is reused */
export const CITIES_TTL_MS = 60_000;
/** A city asked for by id and missing from the listing is looked for again, at most this often */
const MISS_RELIST_MS = 2_000;
const cache = new Map<string, { value: string; expires: number }>();

export async function lookupParameter(name: string): Promise<string> {
  const hit = cache.get(name);
  if (hit && hit.expires > clock.nowMs()) return hit.value;
  const out = await parameterStore.getParameter({ Name: name });
  const value = out.Parameter?.Value;
  if (!value) throw new Error(`SSM parameter ${name} has no value`);
  cache.set(name, { value, expires: clock.nowMs() + TTL_MS });
  return value;
}

/** Every city's profile published under `path` (GetParametersByPath, all pages), by id */
async function listCityProfiles(path: string): Promise<CityProfile[]> {
  const profiles: CityProfile[] = [];
  let NextToken: string | undefined;
  do {
    const page = await parameterStore.getParametersByPath({ Path: path, Recursive: true, NextToken });
    for (const p of page.Parameters ?? []) {
      if (!p.Name?.endsWith("/profile") || !p.Value) continue;
      const parsed = cityProfileSchema.safeParse(JSON.parse(p.Value));
      // a city whose profile does not parse is left out (and found once it publishes a good one)
      if (parsed.success && p.Name === `${path}/${parsed.data.id}/profile`) profiles.push(parsed.data);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  // in the order of their admin codes (the config's order)
  return profiles.sort((a, b) => a.adminCode.localeCompare(b.adminCode) || a.id.localeCompare(b.id));
}

const listings = new Map<string, { cities: Promise<CityProfile[]>; listedAt: number }>();

function cityListing(path: string, relistOlderThanMs: number): Promise<CityProfile[]> {
  const hit = listings.get(path);
  if (hit && clock.nowMs() - hit.listedAt < relistOlderThanMs) return hit.cities;
  const cities = listCityProfiles(path);
  const entry = { cities, listedAt: clock.nowMs() };
  listings.set(path, entry);
  // a failed listing is not kept: the next call lists again
  cities.catch(() => listings.get(path) === entry && listings.delete(path));
  return cities;
}

export const discovery = (ssmPrefix: string) => {
  const names = discoveryNames(ssmPrefix);
  const cities = () => cityListing(names.citiesPath, CITIES_TTL_MS);
  return {
    hubExchangeQueueUrl: () => lookupParameter(names.hubExchangeQueueUrl),
    hubAuditQueueUrl: () => lookupParameter(names.hubAuditQueueUrl),
    hubSettlementQueueUrl: () => lookupParameter(names.hubSettlementQueueUrl),
    /** Without a trailing slash (API Gateway's stage URLs end in one) */
    hubInternalApiUrl: async () => (await lookupParameter(names.hubInternalApiUrl)).replace(/\/+$/, ""),
    cityPushQueueUrl: (cityId: string) => lookupParameter(names.cityPushQueueUrl(cityId)),
    /** A city's hospital API (its IAM routes serve the other cities), without a trailing slash */
    cityApiUrl: async (cityId: string) => (await lookupParameter(names.cityApiUrl(cityId))).replace(/\/+$/, ""),
    /** Whether a city of this id has published its API (GetParameter only: no listing needed) */
    isCity: async (cityId: string): Promise<boolean> => {
      try {
        await lookupParameter(names.cityApiUrl(cityId));
        return true;
      } catch (error) {
        if ((error as Error).name === "ParameterNotFound") return false;
        throw error;
      }
    },
    /** The role ids of a city's senders to the hub's queues (none when it publishes none: locally, or not deployed yet) */
    citySenderRoleIds: async (cityId: string): Promise<string[]> => {
      try {
        return (await lookupParameter(names.citySenderRoleIds(cityId))).split(",").filter(Boolean);
      } catch (error) {
        if ((error as Error).name === "ParameterNotFound") return [];
        throw error;
      }
    },
    /** The cities of the province, by id: those that publish a profile */
    cities,
    /** One city's profile, or undefined when no such city has published one (listed again when missing) */
    city: async (cityId: string): Promise<CityProfile | undefined> =>
      (await cities()).find((c) => c.id === cityId) ?? (await cityListing(names.citiesPath, MISS_RELIST_MS)).find((c) => c.id === cityId),
  };
};
export type Discovery = ReturnType<typeof discovery>;
