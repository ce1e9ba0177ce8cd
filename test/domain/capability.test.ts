import { describe, expect, it } from "vitest";
import { capabilityStatement } from "#domain/capability.ts";

describe("capability statement", () => {
  it("lists FHIR interactions from routes and other routes as documentation", () => {
    const cs = capabilityStatement({
      kind: "city",
      nodeId: "baoding",
      version: "1.0.0",
      date: "2026-11-26T00:00:00Z",
      routes: [
        { method: "GET", path: "/fhir/metadata" },
        { method: "GET", path: "/fhir/Patient" },
        { method: "POST", path: "/fhir/Patient" },
        { method: "GET", path: "/fhir/Patient/{id}" },
        { method: "POST", path: "/fep/heartbeat" },
      ],
    });
    expect(cs.rest[0]!.resource).toEqual([
      { type: "Patient", interaction: [{ code: "create" }, { code: "read" }, { code: "search-type" }] },
    ]);
    expect(cs.rest[0]!.documentation).toContain("POST /fep/heartbeat");
    expect(cs.rest[0]!.documentation).not.toContain("metadata");
    expect(cs.title).toContain("baoding");
  });
});
