/** Searches over a resident's record (ITI-67 parameters), merging of revisions, and rendering for the asking node. */
import { describe, expect, it } from "vitest";
import { matchesSearch, mergeEntries, parseRecordSearch, renderEntry } from "#domain/documents/records.ts";
import { DomainError } from "#domain/errors.ts";
import { SEARCH_PARAMETERS } from "#lib/declaration/search-parameters.ts";
import type { LocatorEntry } from "#schemas/documents.ts";

const entry = (id: string, revision: number, status = "current", date = "2026-11-20T08:00:00+08:00"): LocatorEntry => ({
  resourceType: "DocumentReference",
  id,
  empi: "E1",
  cityId: "baoding",
  hospitalId: "h1",
  revision,
  status,
  date,
  typeTokens: ["http://loinc.org|34133-9", "https://hebei.health/CodeSystem/ws-t-500|C0032"],
  recordedAt: "2026-11-20T08:00:00Z",
  resource: {
    resourceType: "DocumentReference",
    id,
    status,
    content: [{ attachment: { contentType: "application/pdf", url: `Binary/${id}` } }],
  },
});
const q = (query: Record<string, string[] | undefined>) => parseRecordSearch(query, "DocumentReference");

describe("parseRecordSearch", () => {
  it("requires patient.identifier as system|value and defaults to current documents", () => {
    expect(q({ "patient.identifier": ["https://hebei.health/sid/empi|E1"] })).toMatchObject({
      identifier: { system: "https://hebei.health/sid/empi", value: "E1" },
      statuses: ["current"],
    });
    const bads: Record<string, string[]>[] = [
      {},
      { "patient.identifier": ["E1"] },
      { "patient.identifier": ["a|b"], date: ["soon"] },
      { "patient.identifier": ["a|b"], author: ["x"] },
    ];
    for (const bad of bads) expect(() => q(bad)).toThrow(DomainError);
  });
  it("accepts what the CapabilityStatement declares", () => {
    expect(Object.keys(SEARCH_PARAMETERS.DocumentReference!).sort()).toEqual(["_id", "date", "patient.identifier", "status", "type"]);
  });
});

describe("matchesSearch", () => {
  const base = { "patient.identifier": ["s|v"] };
  it("filters by type (system|code or code), date prefixes and status", () => {
    expect(matchesSearch(entry("a", 1), q({ ...base, type: ["http://loinc.org|34133-9"] }))).toBe(true);
    expect(matchesSearch(entry("a", 1), q({ ...base, type: ["C0032"] }))).toBe(true);
    expect(matchesSearch(entry("a", 1), q({ ...base, type: ["http://loinc.org|11506-3"] }))).toBe(false);
    expect(matchesSearch(entry("a", 1), q({ ...base, date: ["ge2026-11", "lt2026-12-01"] }))).toBe(true);
    expect(matchesSearch(entry("a", 1), q({ ...base, date: ["gt2026-11-20"] }))).toBe(false);
    expect(matchesSearch(entry("a", 2, "superseded"), q(base))).toBe(false);
    expect(matchesSearch(entry("a", 2, "superseded"), q({ ...base, status: ["superseded"] }))).toBe(true);
  });
});

describe("mergeEntries and renderEntry", () => {
  it("keeps the highest revision of each resource, newest first", () => {
    const merged = mergeEntries([entry("a", 1), entry("b", 1, "current", "2026-11-21")], [entry("a", 2, "superseded")]);
    expect(merged.map((e) => [e.id, e.revision])).toEqual([
      ["b", 1],
      ["a", 2],
    ]);
  });
  it("points the attachment at the asking node's Binary endpoint", () => {
    const doc = renderEntry(entry("a", 1), "http://127.0.0.1:8080/cities/tangshan") as { content: { attachment: { url: string } }[] };
    expect(doc.content[0]!.attachment.url).toBe("http://127.0.0.1:8080/cities/tangshan/fhir/Binary/a");
  });
});
