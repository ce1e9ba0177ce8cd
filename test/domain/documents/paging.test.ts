/**
 * Paging of the record searches (docs/fhir-clients.md#paging): `_count` within its limits, page
 * tokens opaque and bound to the query and the caller, pages keyed so that what arrives between two
 * pages shifts nothing, and a read by id answering what the search answers.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { parseRecordSearch, RECORD_PAGE } from "#domain/documents/records.ts";
import { DomainError } from "#domain/errors.ts";
import { boundQuery, openPageToken, pageCount, pageTokenKey, sealPageToken } from "#domain/paging.ts";
import type { ClinicalNetwork, DocumentIndex } from "#ports/documents.ts";
import type { LocatorEntry } from "#schemas/documents.ts";
import { EMPI_SYSTEM } from "#schemas/patient.ts";
import { findRecords, type ReadDeps, readRecord } from "#use-cases/documents/records.ts";

const key = pageTokenKey(randomBytes(32));
const caller = { hospitalId: "bd001", practitionerId: "p1" };
const query = boundQuery({ "patient.identifier": ["s|v"], _count: ["2"] });

const refusal = (run: () => unknown): { status: string; field?: string } => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return { status: error.kind, field: error.issues[0]?.expression };
    throw error;
  }
  return { status: "accepted" };
};

describe("_count", () => {
  it("is the default when absent, the maximum when larger, and refused when not a whole number from 1", () => {
    expect(pageCount({}, RECORD_PAGE)).toBe(RECORD_PAGE.default);
    expect(pageCount({ _count: ["2"] }, RECORD_PAGE)).toBe(2);
    expect(pageCount({ _count: [String(RECORD_PAGE.max + 1)] }, RECORD_PAGE)).toBe(RECORD_PAGE.max);
    for (const bad of [["0"], ["-1"], ["2.5"], ["two"], ["1", "2"]])
      expect(refusal(() => pageCount({ _count: bad }, RECORD_PAGE))).toEqual({ status: "invalid", field: "_count" });
  });
});

describe("page tokens", () => {
  const token = sealPageToken(key, caller, query, "position-7");

  it("open for the caller and the query they were sealed for", () => {
    expect(openPageToken(key, caller, query, token)).toBe("position-7");
  });

  it("say nothing of the position they hold", () => {
    expect(Buffer.from(token, "base64url").toString("latin1")).not.toContain("position");
    expect(sealPageToken(key, caller, query, "position-7")).not.toBe(token);
  });

  it.each([
    ["another hospital", () => openPageToken(key, { ...caller, hospitalId: "bd002" }, query, token)],
    ["another practitioner", () => openPageToken(key, { ...caller, practitionerId: "p2" }, query, token)],
    ["no practitioner", () => openPageToken(key, { hospitalId: caller.hospitalId }, query, token)],
    ["another query", () => openPageToken(key, caller, boundQuery({ "patient.identifier": ["s|w"], _count: ["2"] }), token)],
    ["another _count", () => openPageToken(key, caller, boundQuery({ "patient.identifier": ["s|v"], _count: ["3"] }), token)],
    ["another node's key", () => openPageToken(pageTokenKey(randomBytes(32)), caller, query, token)],
    [
      "one altered character",
      () => openPageToken(key, caller, query, `${token.slice(0, 20)}${token[20] === "A" ? "B" : "A"}${token.slice(21)}`),
    ],
    ["made up", () => openPageToken(key, caller, query, Buffer.from(JSON.stringify({ after: "x" })).toString("base64url"))],
    ["empty", () => openPageToken(key, caller, query, "")],
  ])("are refused when followed by %s (400 naming _pageToken)", (_, run) => {
    expect(refusal(run)).toEqual({ status: "invalid", field: "_pageToken" });
  });
});

// ——— the use case, over in-memory stores ———

const entry = (id: string, date: string, resourceType: LocatorEntry["resourceType"] = "DocumentReference"): LocatorEntry => ({
  resourceType,
  id,
  empi: "E1",
  cityId: "baoding",
  hospitalId: "bd001",
  revision: 1,
  status: "current",
  date,
  typeTokens: [],
  recordedAt: "2026-11-20T08:00:00Z",
  resource: { resourceType, id, status: "current", content: [{ attachment: { contentType: "text/plain", url: `Binary/${id}` } }] },
});

function deps(entries: LocatorEntry[]): ReadDeps {
  const network: Partial<ClinicalNetwork> = {
    pix: async (id) => (id.value === "E1" || id.value === "v" ? { resourceType: "Parameters", parameter: [] } : undefined),
    hubEntries: async () => entries,
    isCity: async (id) => id === "tangshan",
    binaryAt: async () => undefined,
    ownBase: async () => "http://node/cities/baoding",
  };
  const index: Partial<DocumentIndex> = {
    listing: async () => [],
    get: async (type, id) => {
      const e = entries.find((x) => x.id === id && x.resourceType === type);
      return e ? { entry: e, key: "k" } : undefined;
    },
  };
  // a reader treating the resident: the consent policy hides nothing of these unlabelled records
  const privacy = async () => ({ relationship: true, consents: [], telemedicineDocuments: [], policyVersion: "test" });
  return { index: index as DocumentIndex, network: network as ClinicalNetwork, pageKey: async () => key, privacy };
}

vi.mock("#domain/mpi/pix-answer.ts", () => ({ empiOfPixAnswer: () => "E1" }));

type Page = { total: number; entry: { resource: { id: string } }[]; link: { relation: string; url: string }[] };
const search = async (d: ReadDeps, params: Record<string, string[]>, who = caller) =>
  (await findRecords(d, "baoding", { ...who, purpose: "TREAT" }, "DocumentReference", parseRecordSearch(params, "DocumentReference")))
    .bundle as unknown as Page;
const paramsOf = (url: string) => {
  const out: Record<string, string[]> = {};
  for (const [k, v] of new URL(url).searchParams) out[k] = [...(out[k] ?? []), v];
  return out;
};

describe("a record search's pages", () => {
  const docs = ["baoding-d1", "baoding-d2", "baoding-d3", "baoding-d4", "baoding-d5"].map((id, i) => entry(id, `2026-11-2${5 - i}`));

  it("follow next links to the end, each result once, in the timeline's order, with an exact total", async () => {
    const d = deps(docs);
    const seen: string[] = [];
    let page = await search(d, { "patient.identifier": ["s|v"], _count: ["2"] });
    const sizes: number[] = [];
    for (;;) {
      expect(page.total).toBe(5);
      expect(page.link.find((l) => l.relation === "self")).toBeDefined();
      seen.push(...page.entry.map((e) => e.resource.id));
      sizes.push(page.entry.length);
      const next = page.link.find((l) => l.relation === "next");
      if (!next) break;
      expect(next.url.startsWith("http://node/cities/baoding/fhir/DocumentReference?")).toBe(true);
      page = await search(d, paramsOf(next.url));
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(docs.map((e) => e.id));
  });

  it("shift nothing when a result arrives between two pages", async () => {
    const list = [...docs];
    const d = deps(list);
    const first = await search(d, { "patient.identifier": ["s|v"], _count: ["2"] });
    list.unshift(entry("baoding-d0", "2026-11-29"));
    const second = await search(d, paramsOf(first.link.find((l) => l.relation === "next")!.url));
    expect(second.entry.map((e) => e.resource.id)).toEqual(["baoding-d3", "baoding-d4"]);
  });

  it("are another caller's to follow only with a 400", async () => {
    const d = deps(docs);
    const first = await search(d, { "patient.identifier": ["s|v"], _count: ["2"] });
    const next = paramsOf(first.link.find((l) => l.relation === "next")!.url);
    await expect(search(d, next, { hospitalId: "bd002", practitionerId: "p9" })).rejects.toMatchObject({
      kind: "invalid",
      issues: [{ expression: "_pageToken" }],
    });
  });
});

describe("a read by id", () => {
  const bd001 = { hospitalId: "bd001", purpose: "TREAT" as const };
  const id = (city: string, n: string) => `${city}-${n.padStart(32, "0")}`;
  it("answers what the search finds, withdrawn or not, and 404 for what it does not", async () => {
    const withdrawn = { ...entry(id("baoding", "d9"), "2026-11-01"), status: "entered-in-error" };
    const d = deps([entry(id("baoding", "d1"), "2026-11-20"), withdrawn, entry(id("baoding", "e1"), "2026-11-02", "Encounter")]);
    expect((await readRecord(d, "baoding", bd001, "DocumentReference", id("baoding", "d1"))).resource.id).toBe(id("baoding", "d1"));
    expect((await readRecord(d, "baoding", bd001, "DocumentReference", id("baoding", "d9"))).resource).toMatchObject({
      status: "entered-in-error",
    });
    expect(await readRecord(d, "baoding", bd001, "Encounter", id("baoding", "e1"))).toMatchObject({ empi: "E1" });
    for (const [type, unknown] of [
      ["DocumentReference", id("baoding", "e1")],
      ["DocumentReference", id("baoding", "ff")],
      ["DocumentReference", id("tangshan", "d1")],
      ["DocumentReference", id("nowhere", "d1")],
      ["Encounter", "baoding-e1"],
    ] as const)
      await expect(readRecord(d, "baoding", bd001, type, unknown)).rejects.toMatchObject({ kind: "not-found" });
  });

  it("is the search by _id for the resident", () => {
    expect(parseRecordSearch({ "patient.identifier": [`${EMPI_SYSTEM}|E1`], _id: ["a,b"] }, "DocumentReference")).toMatchObject({
      ids: ["a", "b"],
      statuses: [],
    });
  });
});
