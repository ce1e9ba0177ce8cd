import { describe, expect, it } from "vitest";
import { capabilityStatement } from "#domain/capability.ts";

/** A city's statement for these "<METHOD> <path>" routes */
const cityStatement = (...routes: string[]) =>
  capabilityStatement({
    kind: "city",
    nodeId: "baoding",
    version: "1.0.0",
    date: "2026-11-26T00:00:00Z",
    routes: routes.map((r) => ({ method: r.split(" ")[0]!, path: r.split(" ")[1]! })),
  });

describe("capability statement", () => {
  it("lists FHIR interactions from routes and other routes as documentation", () => {
    const cs = cityStatement(
      "GET /fhir/metadata",
      "GET /fhir/Patient",
      "POST /fhir/Patient",
      "GET /fhir/Patient/{id}",
      "POST /fep/heartbeat",
    );
    expect(cs.rest[0]!.resource).toEqual([
      { type: "Patient", interaction: [{ code: "create" }, { code: "read" }, { code: "search-type" }] },
    ]);
    expect(cs.rest[0]!.documentation).toContain("POST /fep/heartbeat");
    expect(cs.rest[0]!.documentation).not.toContain("metadata");
    expect(cs.title).toContain("baoding");
  });

  it("declares POST [base] as the transaction interaction and DELETE on an instance as delete", () => {
    const cs = cityStatement("POST /fhir", "GET /fhir/Subscription/{id}", "DELETE /fhir/Subscription/{id}");
    expect(cs.rest[0]!.interaction).toEqual([{ code: "transaction" }]);
    expect(cs.rest[0]!.resource).toEqual([{ type: "Subscription", interaction: [{ code: "delete" }, { code: "read" }] }]);
    expect(cs.rest[0]!.documentation).not.toContain("POST /fhir,");
  });
});

describe("declared search parameters", () => {
  it("are exactly the parameters the registry searches accept, of the same kinds", async () => {
    const { SEARCH_PARAMETERS } = await import("#lib/declaration/search-parameters.ts");
    const { SEARCH_PARAMS } = await import("#domain/registry/search-params.ts");
    for (const [type, params] of Object.entries(SEARCH_PARAMS)) {
      const kinds = Object.fromEntries(Object.entries(params).map(([name, def]) => [name, (def as { kind: string }).kind]));
      expect(SEARCH_PARAMETERS[type], type).toEqual(kinds);
    }
  });

  it("are exactly PDQm's parameters for Patient", async () => {
    const { SEARCH_PARAMETERS } = await import("#lib/declaration/search-parameters.ts");
    const { PDQM_PARAMETERS } = await import("#schemas/patient.ts");
    expect(Object.keys(SEARCH_PARAMETERS.Patient!).sort()).toEqual(PDQM_PARAMETERS.filter((p) => p !== "_count").sort());
  });

  it("are listed for searchable types in the statement", () => {
    const cs = capabilityStatement({
      kind: "city",
      nodeId: "baoding",
      version: "1",
      date: "2026-11-26T00:00:00Z",
      routes: [
        { method: "GET", path: "/fhir/Organization" },
        { method: "POST", path: "/fhir/Practitioner" },
      ],
      searchParams: { Organization: { name: "string" }, Practitioner: { name: "string" } },
    });
    expect(cs.rest[0]!.resource).toEqual([
      { type: "Organization", interaction: [{ code: "search-type" }], searchParam: [{ name: "name", type: "string" }] },
      { type: "Practitioner", interaction: [{ code: "create" }] },
    ]);
  });
});
