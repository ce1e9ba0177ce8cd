/**
 * The search entries of a registry resource (RegistryIndex table: indexKey + sortKey), derived
 * from the parameter table of search-params.ts. The kinds of entry:
 *
 *   all        <prefix>:all                      <ref>                          Organization, Location
 *   token      <prefix>:<param>:<code>           <system>|<ref>                 identifier, type, approval
 *   reference  <prefix>:<param>:<id>             <ref>                          partof, organization
 *   string     <prefix>:<param>:<bucket>         <search key>|<ref>|<text>      name, address-city
 *   role       role:role:<code>                  <organization id>|<system>|<ref>
 *
 * where <ref> is "Type/id", <prefix> org | loc | pr | role, and a string entry's search key is the
 * toneless pinyin of the text (text.ts), its bucket the key's first letter, so a starts-with query
 * reads one partition with begins_with. A PractitionerRole is found by organization through its
 * role entries (one query per role code) and by practitioner through the practitioner's record.
 * Hospital Organizations carry their cityId on their type entries (the connection board). Pure.
 */
import type { CityProfile } from "#schemas/city.ts";
import { PRACTITIONER_ROLE_CODES } from "./codes.ts";
import { cityOfOrganization, isHospital } from "./organizations.ts";
import { type RegistryResource, type RegistryType, referencedId, referenceTo } from "./resources.ts";
import { type ParamDef, SEARCH_PARAMS } from "./search-params.ts";
import { fold, searchKey } from "./text.ts";

export interface IndexEntry {
  indexKey: string;
  sortKey: string;
  /** Projected on the type entries of hospital Organizations */
  cityId?: string;
}

export const TYPE_PREFIX: Record<RegistryType, string> = {
  Organization: "org",
  Location: "loc",
  Practitioner: "pr",
  PractitionerRole: "role",
};
/** Types small enough to be listed whole (a search without parameters) */
export const LISTABLE_TYPES: ReadonlySet<RegistryType> = new Set(["Organization", "Location"]);
/** PractitionerRole parameters served by the role entries and the practitioner's record, not entries of their own */
const ROLE_PARAMS = new Set(["organization", "practitioner", "role"]);

const SEP = "|";
export const MAX_KEY_CHARS = 300;
export const MAX_TEXT_CHARS = 150;

export const allIndexKey = (type: RegistryType): string => `${TYPE_PREFIX[type]}:all`;
export const paramIndexKey = (type: RegistryType, param: string, value: string): string => `${TYPE_PREFIX[type]}:${param}:${value}`;
export const roleIndexKey = (code: string): string => `role:role:${code}`;
export const ROLE_INDEX_KEYS = PRACTITIONER_ROLE_CODES.map(roleIndexKey);

/** One string identifying an entry (its two keys), as records list the entries they own. */
export const entryId = (e: Pick<IndexEntry, "indexKey" | "sortKey">): string => `${e.indexKey}\u001f${e.sortKey}`;
export function parseEntryId(id: string): { indexKey: string; sortKey: string } {
  const at = id.indexOf("\u001f");
  return { indexKey: id.slice(0, at), sortKey: id.slice(at + 1) };
}

/** The texts worth an entry: a text whose characters and pinyin both start another text of the same resource adds nothing. */
function usefulTexts(texts: string[], surname: boolean): { text: string; key: string }[] {
  const forms = [...new Set(texts)].map((text) => ({ text, folded: fold(text), key: searchKey(text, surname) })).filter((f) => f.key);
  return forms.filter(
    (f, i) =>
      !forms.some(
        (g, j) =>
          j !== i && g.folded.startsWith(f.folded) && g.key.startsWith(f.key) && (g.folded !== f.folded || g.key !== f.key || j < i),
      ),
  );
}

export const stringSortKey = (key: string, ref: string, text: string): string =>
  [key.slice(0, MAX_KEY_CHARS), ref, text.slice(0, MAX_TEXT_CHARS)].join(SEP);
export function decodeStringSortKey(sortKey: string): { key: string; ref: string; text: string } {
  const [key = "", ref = "", ...text] = sortKey.split(SEP);
  return { key, ref, text: text.join(SEP) };
}
export const tokenSortKey = (system: string | undefined, ref: string): string => `${system ?? ""}${SEP}${ref}`;
export function decodeTokenSortKey(sortKey: string): { system: string; ref: string } {
  const at = sortKey.lastIndexOf(SEP);
  return { system: sortKey.slice(0, at), ref: sortKey.slice(at + 1) };
}
export const roleSortKey = (organizationId: string, system: string | undefined, ref: string): string =>
  [organizationId, system ?? "", ref].join(SEP);
export function decodeRoleSortKey(sortKey: string): { organizationId: string; system: string; ref: string } {
  const [organizationId = "", system = "", ref = ""] = sortKey.split(SEP);
  return { organizationId, system, ref };
}

function paramEntries(
  type: RegistryType,
  param: string,
  def: ParamDef<RegistryResource>,
  resource: RegistryResource,
  ref: string,
): IndexEntry[] {
  switch (def.kind) {
    case "string":
      return usefulTexts(def.texts(resource), def.surname ?? false).map(({ text, key }) => ({
        indexKey: paramIndexKey(type, param, key.charAt(0)),
        sortKey: stringSortKey(key, ref, text),
      }));
    case "token":
      return def.tokens(resource).map((t) => ({ indexKey: paramIndexKey(type, param, t.code), sortKey: tokenSortKey(t.system, ref) }));
    case "reference":
      return def.ids(resource).map((id) => ({ indexKey: paramIndexKey(type, param, id), sortKey: ref }));
  }
}

/**
 * Every search entry of one resource. A hospital's type entries carry its city, found by name
 * among `cities` (the province's, which the registry holds as its city jurisdictions).
 */
export function indexEntriesOf(resource: RegistryResource, cities: readonly Pick<CityProfile, "id" | "nameZh">[] = []): IndexEntry[] {
  const type = resource.resourceType;
  const ref = referenceTo(type, resource.id);
  const entries: IndexEntry[] = LISTABLE_TYPES.has(type) ? [{ indexKey: allIndexKey(type), sortKey: ref }] : [];
  if (resource.resourceType === "PractitionerRole") {
    const organizationId = referencedId(resource.organization.reference, "Organization") ?? "";
    for (const coding of resource.code.flatMap((c) => c.coding ?? [])) {
      if (coding.code) entries.push({ indexKey: roleIndexKey(coding.code), sortKey: roleSortKey(organizationId, coding.system, ref) });
    }
  }
  for (const [param, def] of Object.entries(SEARCH_PARAMS[type]) as [string, ParamDef<RegistryResource>][]) {
    if (type === "PractitionerRole" && ROLE_PARAMS.has(param)) continue;
    entries.push(...paramEntries(type, param, def, resource, ref));
  }
  const cityId = resource.resourceType === "Organization" && isHospital(resource) ? cityOfOrganization(resource, cities) : undefined;
  const unique = new Map<string, IndexEntry>();
  for (const e of entries) {
    const withCity = cityId && e.indexKey.startsWith(`${TYPE_PREFIX.Organization}:type:`) ? { ...e, cityId } : e;
    unique.set(entryId(e), withCity);
  }
  return [...unique.values()];
}
