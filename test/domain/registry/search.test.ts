import { describe, expect, it } from "vitest";
import { BadRequestError } from "#domain/errors.ts";
import { PRACTITIONER_SYSTEM, USCC_SYSTEM } from "#domain/registry/codes.ts";
import { entryId, indexEntriesOf } from "#domain/registry/index-entries.ts";
import { makeLicense } from "#domain/registry/license.ts";
import { countyOrganization, hospitalOrganization } from "#domain/registry/organizations.ts";
import { practitionerResource, practitionerRoleResource } from "#domain/registry/practitioners.ts";
import type { RegistryResource } from "#domain/registry/resources.ts";
import { afterOf, matchesAll, PAGE_TOKEN, pageOf, parseSearch, planCriterion, searchsetBundle } from "#domain/registry/search.ts";
import { queryPrefixes, searchKey, stringMatches } from "#domain/registry/text.ts";
import { makeUscc } from "#domain/uscc.ts";
import { PROVINCE } from "#lib/config/province.ts";

const uscc = makeUscc({ authority: "1", category: "2", divisionCode: "130602", orgBody8: "40123456" });
const baoding = PROVINCE.cities.find((c) => c.id === "baoding")!;
const hospital = hospitalOrganization(
  {
    id: "bd901",
    cityId: "baoding",
    countyCode: "130602",
    countyName: "竞秀区",
    name: "保定市长安医院",
    level: 2,
    uscc,
    beds: 300,
  },
  baoding,
);
const license = makeLicense({ type: "nurse", prefecture: "1306", year: 2011, serial: 9 });
const nurse = practitionerResource({
  id: "bd901-p002",
  family: "单",
  given: "丽",
  gender: "female",
  license: { type: "nurse", value: license },
});
const role = practitionerRoleResource({ practitionerId: "bd901-p002", n: 1, hospitalId: "bd901", code: "nurse" });

const q = (params: Record<string, string | string[]>) =>
  Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
function refusal(run: () => unknown): { expression?: string; diagnostics: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestError);
    return (error as BadRequestError).issues[0]!;
  }
  throw new Error("expected a 400");
}

/** Runs a search over an in-memory set of resources, through the same plan and index entries as the registry. */
function search(resources: RegistryResource[], type: RegistryResource["resourceType"], params: Record<string, string | string[]>) {
  const request = parseSearch(type, q(params));
  const entries = resources.flatMap((r) => indexEntriesOf(r, PROVINCE.cities));
  const byRef = new Map(resources.map((r) => [`${r.resourceType}/${r.id}`, r]));
  const sets = request.criteria.map((c) => {
    const plan = planCriterion(type, c);
    const refs = new Set<string>(plan.refs.filter((r) => byRef.has(r)));
    for (const read of plan.reads)
      for (const e of entries)
        if (e.indexKey === read.indexKey && (!read.beginsWith || e.sortKey.startsWith(read.beginsWith)))
          refs.add(read.select(e.sortKey) ?? "");
    for (const id of plan.rolesOfPractitioners)
      for (const r of resources)
        if (r.resourceType === "PractitionerRole" && r.practitioner.reference === `Practitioner/${id}`)
          refs.add(`PractitionerRole/${r.id}`);
    refs.delete("");
    return refs;
  });
  const refs = [...(sets[0] ?? [])].filter((r) => sets.every((s) => s.has(r)));
  return refs
    .map((r) => byRef.get(r)!)
    .filter((r) => matchesAll(r, request))
    .map((r) => r.id);
}

describe("parsing a search", () => {
  it("reads tokens, references, strings, _count and the page token", () => {
    const request = parseSearch(
      "Organization",
      q({
        identifier: `${USCC_SYSTEM}|${uscc}`,
        partof: "Organization/county-130602",
        name: "保定",
        _count: "500",
        [PAGE_TOKEN]: "sealed-token",
      }),
    );
    expect(request.criteria).toEqual([
      { param: "identifier", kind: "token", values: [{ system: USCC_SYSTEM, code: uscc }] },
      { param: "name", kind: "string", values: ["保定"], exact: false },
      { param: "partof", kind: "reference", values: ["county-130602"] },
    ]);
    expect(request.count).toBe(100);
    expect(request.pageToken).toBe("sealed-token");
    expect(request.after).toBeUndefined(); // the use case opens the token (the caller's key)
    expect(request.query.map(([k]) => k)).not.toContain(PAGE_TOKEN);
  });

  it("defaults _count to 20 and reads _summary=count and _count=0 as a count", () => {
    expect(parseSearch("Organization", q({ type: "prov" })).count).toBe(20);
    expect(parseSearch("Organization", q({ type: "prov", _summary: "count" })).summaryCount).toBe(true);
    expect(parseSearch("Organization", q({ type: "prov", _count: "0" })).summaryCount).toBe(true);
  });

  it.each([
    ["an unknown parameter", "Organization", { colour: "red" }, "colour", /Unknown search parameter 'colour'/],
    ["a parameter of another type", "Practitioner", { partof: "hebei" }, "partof", /Unknown search parameter/],
    ["an unsupported modifier", "Organization", { "name:contains": "医院" }, "name:contains", /Modifier ':contains'/],
    [
      "an invalid credit code",
      "Organization",
      { identifier: `${USCC_SYSTEM}|123` },
      "identifier",
      /not a valid unified social credit code/,
    ],
    ["an invalid licence number", "Practitioner", { identifier: `${PRACTITIONER_SYSTEM}|130602111203454` }, "identifier", /check digit/],
    ["an empty token", "Organization", { identifier: `${USCC_SYSTEM}|` }, "identifier", /not a token/],
    ["a reference to another type", "Organization", { partof: "Location/x" }, "partof", /not a reference to Organization/],
    ["a negative _count", "Organization", { _count: "-1" }, "_count", /non-negative integer/],
    ["_summary=data", "Organization", { _summary: "data" }, "_summary", /only count/],
  ] as const)("refuses %s with 400 naming it", (_label, type, params, expression, diagnostics) => {
    const issue = refusal(() => parseSearch(type, q(params)));
    expect(issue.expression).toBe(expression);
    expect(issue.diagnostics).toMatch(diagnostics);
  });

  it("refuses a page token that holds no registry reference, naming it (tokens are opened by the use case: domain/paging.ts)", () => {
    for (const position of [{ after: "x" }, "not a reference", 7]) {
      const issue = refusal(() => afterOf(position));
      expect(issue.expression).toBe(PAGE_TOKEN);
      expect(issue.diagnostics).toMatch(/not a page token/);
    }
  });

  it("needs a parameter to search practitioners, not to list organizations", () => {
    expect(refusal(() => parseSearch("Practitioner", {})).diagnostics).toMatch(/needs a parameter/);
    expect(parseSearch("Organization", {}).criteria).toEqual([]);
  });
});

describe("string search over Chinese names", () => {
  it("keys a name by its toneless pinyin, the family name read as a surname", () => {
    expect(searchKey("保定市第一中心医院")).toBe("baodingshidiyizhongxinyiyuan");
    // read in context, 市长 is "mayor" (shi zhang): a pinyin query follows that reading, one in characters does not depend on it
    expect(searchKey("保定市长安医院")).toBe("baodingshizhanganyiyuan");
    expect(searchKey("单丽", true)).toBe("shanli");
    expect(searchKey("Zhang Wei")).toBe("zhangwei");
  });

  it("turns a query in characters into every pinyin prefix it may start with", () => {
    expect(queryPrefixes("长").sort()).toEqual(["chang", "zhang"]);
    expect(queryPrefixes("Bao Ding")).toEqual(["baoding"]);
  });

  it("matches by characters or pinyin, case-insensitively, from the start only", () => {
    expect(stringMatches("保定市长安医院", "保定")).toBe(true);
    expect(stringMatches("保定市长安医院", "BaoDing")).toBe(true);
    expect(stringMatches("保定市长安医院", "长安")).toBe(false);
    expect(stringMatches("单丽", "shan", false, true)).toBe(true);
    expect(stringMatches("保定市长安医院", "保定市长安医院", true)).toBe(true);
    expect(stringMatches("保定市长安医院", "保定", true)).toBe(false);
  });
});

describe("index entries and search plans", () => {
  const county = countyOrganization(PROVINCE.cities.find((c) => c.id === "baoding")!, { code: "130602", nameZh: "竞秀区" });
  const all: RegistryResource[] = [county, hospital, nurse, role];

  it("gives a hospital its type entries (with its city), partof, identifier, name and address-city entries", () => {
    const entries = indexEntriesOf(hospital, PROVINCE.cities);
    const keys = entries.map((e) => e.indexKey);
    expect(keys).toEqual(
      expect.arrayContaining([
        "org:all",
        "org:type:prov",
        "org:type:facility",
        "org:partof:county-130602",
        `org:identifier:${uscc}`,
        "org:name:b",
        "org:address-city:b",
      ]),
    );
    expect(entries.find((e) => e.indexKey === "org:type:prov")).toMatchObject({
      cityId: "baoding",
      sortKey: "http://terminology.hl7.org/CodeSystem/organization-type|Organization/bd901",
    });
    expect(new Set(entries.map(entryId)).size).toBe(entries.length);
  });

  it("gives a practitioner one name entry and its licence; a role one entry under its code", () => {
    expect(indexEntriesOf(nurse).map((e) => e.indexKey)).toEqual([`pr:identifier:${license}`, "pr:name:s"]);
    expect(indexEntriesOf(role)).toEqual([
      {
        indexKey: "role:role:nurse",
        sortKey: "bd901|http://terminology.hl7.org/CodeSystem/practitioner-role|PractitionerRole/bd901-p002-r1",
      },
    ]);
  });

  it.each([
    ["Organization", { type: "prov" }, ["bd901"]],
    ["Organization", { type: "http://terminology.hl7.org/CodeSystem/organization-type|govt" }, ["county-130602"]],
    ["Organization", { type: "|prov" }, []],
    ["Organization", { partof: "county-130602" }, ["bd901"]],
    ["Organization", { name: "保定" }, ["bd901"]],
    ["Organization", { name: "baodingshi" }, ["bd901"]],
    ["Organization", { name: "长" }, []],
    ["Organization", { name: ["保定", "竞秀"] }, []],
    ["Organization", { name: "保定,竞秀" }, ["county-130602", "bd901"]],
    ["Organization", { "address-city": "保定市", type: "prov" }, ["bd901"]],
    ["Organization", { identifier: uscc }, ["bd901"]],
    ["Practitioner", { name: "单" }, ["bd901-p002"]],
    ["Practitioner", { name: "shan li" }, ["bd901-p002"]],
    ["Practitioner", { name: "丹" }, []],
    ["Practitioner", { identifier: `${PRACTITIONER_SYSTEM}|${license}` }, ["bd901-p002"]],
    ["PractitionerRole", { organization: "Organization/bd901" }, ["bd901-p002-r1"]],
    ["PractitionerRole", { organization: "bd901", role: "doctor" }, []],
    ["PractitionerRole", { practitioner: "bd901-p002", role: "nurse" }, ["bd901-p002-r1"]],
    ["PractitionerRole", { _id: "bd901-p002-r1" }, ["bd901-p002-r1"]],
  ] as const)("%s?%j finds %j", (type, params, ids) => {
    expect(search(all, type, params as Record<string, string | string[]>).sort()).toEqual([...ids].sort());
  });
});

describe("pages and bundles", () => {
  const refs = Array.from({ length: 45 }, (_, i) => `Organization/h${String(i).padStart(3, "0")}`);

  it("pages through every reference exactly once, after the page token", () => {
    const seen: string[] = [];
    let token: string | undefined;
    for (let n = 0; n < 10; n++) {
      const parsed = parseSearch("Organization", q({ type: "prov", _count: "20", ...(token ? { [PAGE_TOKEN]: token } : {}) }));
      const request = parsed.pageToken ? { ...parsed, after: afterOf(parsed.pageToken) } : parsed;
      const { page, total, next } = pageOf([...refs].reverse(), request);
      expect(total).toBe(45);
      seen.push(...page);
      if (!next) break;
      token = next;
    }
    expect(seen).toEqual(refs);
  });

  it("links self and next relative to the FHIR base, and marks entries as matches", () => {
    const request = parseSearch("Organization", q({ type: "prov", _count: "1" }));
    const bundle = searchsetBundle(request, 2, [hospital], "Organization/bd901", (after) => `sealed-${after}`);
    expect(bundle).toMatchObject({ resourceType: "Bundle", type: "searchset", total: 2 });
    expect(bundle.link[0]).toEqual({ relation: "self", url: "Organization?_count=1&type=prov" });
    expect(bundle.link[1]!.url).toBe(`Organization?_count=1&type=prov&${PAGE_TOKEN}=${encodeURIComponent("sealed-Organization/bd901")}`);
    expect(bundle.entry?.[0]).toMatchObject({ fullUrl: "Organization/bd901", search: { mode: "match" } });
  });
});
