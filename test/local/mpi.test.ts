/**
 * The master patient index through the local province: hospitals feed Patients at their city nodes,
 * the hub matches them read-after-write, other cities resolve them by PIXm and PDQm at once,
 * stewards merge and unmerge, and every access leaves exactly one AuditEvent at the hub.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { DeleteItemCommand, DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamoResidentScan } from "#adapters/resident-scan.ts";
import { dynamoResidentStore } from "#adapters/resident-store.ts";
import { makeResidentId } from "#domain/mpi/resident-id.ts";
import { daughter, father, patientOf, type Registration, reviewed, reviewedElsewhere, son, wrongCheckChar } from "#lib/world/index.ts";
import { EMPI_SYSTEM, MATCH_FLAG_SYSTEM, MATCH_TAG_SYSTEM, mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { type ReindexReport, reindexResidents } from "#use-cases/mpi/reindex.ts";
import { call, queueSettled, startTestProvince, type TestProvince } from "../support/province.ts";

let t: TestProvince;
type Hospital = TestProvince["credentials"]["hospitals"][number];
type Id = { system: string; value: string };
let sjz: Hospital; // a hospital of Shijiazhuang
let sjz2: Hospital; // another one there
let ts: Hospital; // a hospital of Tangshan

beforeAll(async () => {
  t = await startTestProvince();
  const inCity = (city: string) => t.credentials.hospitals.filter((h) => h.cityId === city && h.practitioners.length > 0);
  [sjz, sjz2] = inCity("shijiazhuang") as [Hospital, Hospital];
  [ts] = inCity("tangshan") as [Hospital];
});
afterAll(async () => {
  await t?.province.stop();
});

const cityUrl = (h: Hospital, path: string) => `${t.province.url}/cities/${h.cityId}${path}`;
const practitioner = (h: Hospital) => ({ "x-practitioner-id": h.practitioners[0]! });
const feed = (
  h: Hospital,
  mrn: string,
  person: Registration,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
) =>
  call(
    cityUrl(h, init.method === "PUT" ? `/fhir/Patient?identifier=${encodeURIComponent(`${mrnSystem(h.id)}|${mrn}`)}` : "/fhir/Patient"),
    {
      token: h.credential,
      method: init.method ?? "POST",
      body: init.body ?? patientOf(h.id, mrn, person),
      headers: init.headers,
    },
  );
/** PIXm as a named practitioner of `h` (the full cross-reference; a system call sees less: authority.test.ts) */
const pix = (h: Hospital, source: string, extra = "", headers: Record<string, string> = practitioner(h)) =>
  call(cityUrl(h, `/fhir/Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(source)}${extra}`), { token: h.credential, headers });
const targets = (parameters: unknown): string[] =>
  ((parameters as { parameter?: { valueIdentifier?: Id }[] }).parameter ?? [])
    .flatMap((p) => (p.valueIdentifier ? [`${p.valueIdentifier.system}|${p.valueIdentifier.value}`] : []))
    .sort();
const empiOf = (patient: unknown): string | undefined =>
  ((patient as { identifier?: Id[] }).identifier ?? []).find((i) => i.system === EMPI_SYSTEM)?.value;
/** a response's JSON body, present on every answer these tests read */
const bodyOf = (res: { json?: Record<string, unknown> }) => res.json as Record<string, unknown>;
const mrnOf = (h: Hospital, value: string) => `${mrnSystem(h.id)}|${value}`;
const operator = (path: string, body?: unknown) => call(`${t.province.url}/hub${path}`, { token: t.credentials.operator, body });
type AuditEntry = { resource: Record<string, unknown> };
/** Polls the audit repository every half second (each search is itself audited at the hub) until `done`. */
async function auditedWithin(
  probe: () => Promise<AuditEntry[]>,
  done: (events: AuditEntry[]) => boolean,
  timeoutMs: number,
): Promise<AuditEntry[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await probe();
    if (done(events)) return events;
    if (Date.now() > deadline) throw new Error(`audit events not there in ${timeoutMs} ms: ${events.length} found`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
const allAuditEvents = async (identifier: string): Promise<AuditEntry[]> => {
  const url = `${t.province.url}/hub/fhir/AuditEvent?patient.identifier=${encodeURIComponent(identifier)}`;
  return ((await call(url, { token: t.credentials.operator })).json as { entry?: AuditEntry[] }).entry ?? [];
};
const site = (e: AuditEntry) => (e.resource.source as { site: string }).site;
/** the AuditEvents naming a patient, recorded at the city nodes (the operator's own searches are audited at the hub) */
const auditEvents = async (identifier: string) => (await allAuditEvents(identifier)).filter((e) => site(e) !== "hub");
/** the changes the operator made at the hub naming a patient */
const hubChanges = async (identifier: string) =>
  (await allAuditEvents(identifier)).filter((e) => site(e) === "hub" && e.resource.action === "U");
const countItems = async (table: string) => {
  const ddb = new DynamoDBClient({ endpoint: t.province.endpoints.dynamodb });
  const out = await ddb.send(new ScanCommand({ TableName: table, Select: "COUNT" }));
  ddb.destroy();
  return out.Count ?? 0;
};
const hubTable = (id: string) => t.province.resources.get("hub")!.tables.get(id)!;

describe("feed and PIXm across cities", () => {
  it("resolves a Patient fed in one city from another city at once, each access audited exactly once", async () => {
    const first = await feed(sjz, "F-1", father);
    expect(first.status).toBe(201);
    const empi = empiOf(first.json);
    expect(empi).toMatch(/^E\d{13}$/);
    expect(first.json?.meta).not.toHaveProperty("tag");

    const second = await feed(ts, "T-1", { ...father, given: "建帼", phone: "18603110000" });
    expect(second.status).toBe(201);
    expect(empiOf(second.json)).toBe(empi);

    const answer = await pix(ts, mrnOf(sjz, "F-1"));
    expect(answer.status).toBe(200);
    expect(answer.json?.resourceType).toBe("Parameters");
    expect(targets(answer.json)).toEqual([`${EMPI_SYSTEM}|${empi}`, `${RESIDENT_ID_SYSTEM}|${father.residentId}`, mrnOf(ts, "T-1")].sort());
    const filtered = await pix(ts, mrnOf(sjz, "F-1"), `&targetSystem=${encodeURIComponent(EMPI_SYSTEM)}`);
    expect(targets(filtered.json)).toEqual([`${EMPI_SYSTEM}|${empi}`]);

    // the feed (C) and the two queries (E) named this MRN: three events, one each, within seconds
    const events = await auditedWithin(
      () => auditEvents(mrnOf(sjz, "F-1")),
      (e) => e.length >= 3,
      20_000,
    );
    await queueSettled(t.province, "hub", "Audit"); // every audit event sent so far is stored
    const settled = await auditEvents(mrnOf(sjz, "F-1"));
    expect(settled).toHaveLength(3);
    expect(events.map((e) => e.resource.action).sort()).toEqual(["C", "E", "E"]);
    expect(settled.every((e) => e.resource.outcome === "0")).toBe(true);
  });

  it("answers PIXm 404 for an unknown identifier and 403 for an unknown target system", async () => {
    expect((await pix(ts, mrnOf(sjz, "never-fed"))).status).toBe(404);
    const refused = await pix(ts, mrnOf(sjz, "F-1"), `&targetSystem=${encodeURIComponent("urn:oid:2.16.840.1")}`);
    expect(refused.status).toBe(403);
    expect(refused.json?.resourceType).toBe("OperationOutcome");
  });

  it("updates conditionally, keeping the EMPI; refuses another hospital's MRN with 403", async () => {
    const created = await feed(sjz, "F-1", father);
    const updated = await feed(sjz, "F-1", { ...father, phone: "13333333333" }, { method: "PUT" });
    expect(updated.status).toBe(200);
    expect(empiOf(updated.json)).toBe(empiOf(created.json));
    expect((bodyOf(updated).meta as { versionId: string }).versionId).toBe("3");

    const before = await countItems(hubTable("PatientRecords"));
    const foreign = await feed(sjz, "X-1", father, { body: patientOf(ts.id, "X-1", father) });
    expect(foreign.status).toBe(403);
    const foreignPut = await call(cityUrl(sjz, `/fhir/Patient?identifier=${encodeURIComponent(mrnOf(ts, "T-1"))}`), {
      token: sjz.credential,
      method: "PUT",
      body: patientOf(sjz.id, "X-2", father),
    });
    expect(foreignPut.status).toBe(403);
    expect(await countItems(hubTable("PatientRecords"))).toBe(before);
    const refusals = await auditedWithin(
      () => auditEvents(mrnOf(ts, "X-1")),
      (e) => e.length >= 1,
      20_000,
    );
    expect(refusals.map((e) => e.resource.outcome)).toEqual(["4"]);
  });

  const malformed: [string, (h: Hospital) => Record<string, unknown>, string][] = [
    ["not a Patient", () => ({ resourceType: "Practitioner" }), "resourceType"],
    ["a birth date that is not a FHIR date", (h) => ({ ...patientOf(h.id, "M-1", son), birthDate: "1988-13-07" }), "birthDate"],
    [
      "a birth order that is not a number",
      (h) => ({ ...patientOf(h.id, "M-1", son), multipleBirthInteger: "two" }),
      "multipleBirthInteger",
    ],
    [
      "a resident ID number of the wrong length",
      (h) => ({
        ...patientOf(h.id, "M-1", son),
        identifier: [
          { system: mrnSystem(h.id), value: "M-1" },
          { system: RESIDENT_ID_SYSTEM, value: "13010219880907" },
        ],
      }),
      "identifier.1.value",
    ],
  ];
  it.each(malformed)("refuses %s with 400 naming the field, storing nothing", async (_label, body, field) => {
    const before = await countItems(hubTable("PatientRecords"));
    const res = await feed(sjz2, "M-1", son, { body: body(sjz2) });
    expect(res.status).toBe(400);
    expect(res.json?.resourceType).toBe("OperationOutcome");
    expect((bodyOf(res).issue as { expression?: string[] }[]).map((i) => i.expression?.[0])).toContain(field);
    expect(await countItems(hubTable("PatientRecords"))).toBe(before);
    expect((await pix(sjz2, mrnOf(sjz2, "M-1"))).status).toBe(404);
  });
});

describe("matching at the hub", () => {
  it("accepts a resident ID number with a bad check character, keeps it and flags it", async () => {
    const bad = wrongCheckChar(son.residentId!);
    const res = await feed(sjz2, "B-1", { ...son, given: "浩然", residentId: bad });
    expect(res.status).toBe(201);
    expect((bodyOf(res).identifier as Id[]).find((i) => i.system === RESIDENT_ID_SYSTEM)?.value).toBe(bad);
    expect((bodyOf(res).meta as { tag: unknown[] }).tag).toContainEqual({ system: MATCH_FLAG_SYSTEM, code: "resident-id-bad-check" });
    expect((await pix(sjz2, `${RESIDENT_ID_SYSTEM}|${bad}`)).status).toBe(404);
  });

  it("does not link a child registered with the parent's number to the parent, nor a twin to her brother", async () => {
    const child = await feed(ts, "T-2", { ...son, residentId: father.residentId });
    expect(child.status).toBe(201);
    const parent = await pix(ts, `${RESIDENT_ID_SYSTEM}|${father.residentId}`);
    expect(targets(parent.json)).not.toContain(mrnOf(ts, "T-2"));
    expect(empiOf(child.json)).not.toBe(
      targets(parent.json)
        .find((x) => x.startsWith(EMPI_SYSTEM))
        ?.split("|")[1],
    );

    const brother = await feed(sjz, "S-1", son);
    const sister = await feed(sjz, "D-1", daughter);
    expect(empiOf(brother.json)).toBeDefined();
    expect(empiOf(sister.json)).not.toBe(empiOf(brother.json));
  });

  it("sends a namesake's record to review when it lives with another household than the resident's (name, date and sex alone)", async () => {
    const resident: Registration = {
      family: "郜",
      given: "靓峰",
      sex: "male",
      birthDate: "1971-04-23",
      residentId: makeResidentId("130102", "1971-04-23", "217"),
      phone: "13700000411",
      address: "河北省石家庄市长安区建设路88号",
    };
    const wife: Registration = {
      family: "孙",
      given: "丽",
      sex: "female",
      birthDate: "1973-02-02",
      phone: "13700000412",
      address: resident.address,
    };
    const elsewhere = "河北省唐山市路南区学府路77号";
    const otherWife: Registration = {
      family: "钱",
      given: "敏",
      sex: "female",
      birthDate: "1972-08-08",
      phone: "13700000413",
      address: elsewhere,
    };
    const namesake: Registration = {
      family: "郜",
      given: "靓峰",
      sex: "male",
      birthDate: "1971-04-23",
      phone: "13700000414",
      address: elsewhere,
    };
    const first = await feed(sjz, "HM-1", resident);
    for (const [h, mrn, r] of [
      [sjz, "HM-2", wife],
      [ts, "HM-3", otherWife],
    ] as const)
      expect((await feed(h, mrn, r)).status).toBe(201);
    const res = await feed(ts, "HM-4", namesake);
    expect(res.status).toBe(201);
    const tags = (bodyOf(res).meta as { tag: { system: string; code: string }[] }).tag;
    expect(tags).toContainEqual({ system: MATCH_FLAG_SYSTEM, code: "link-lives-elsewhere" });
    expect(tags).toContainEqual(expect.objectContaining({ system: MATCH_TAG_SYSTEM, code: "review" }));
    expect(empiOf(res.json)).toBeUndefined();
    expect(targets((await pix(sjz, mrnOf(sjz, "HM-1"))).json)).not.toContain(mrnOf(ts, "HM-4"));
    // the steward sees why: the record's flag, the candidate, and name, date and sex agreeing with nothing else
    const entries = (await operator("/mpi/review?_count=200")).json?.review as {
      resident: { patients: { identifier: Id[]; meta: { tag: { code: string }[] } }[] };
      candidates: { empi: string; evidence: { fields: Record<string, { agreement: string }> } }[];
    }[];
    const entry = entries.find((e) => e.resident.patients.some((p) => p.identifier.some((i) => i.value === "HM-4")));
    expect(entry?.resident.patients[0]?.meta.tag.map((x) => x.code)).toContain("link-lives-elsewhere");
    expect(entry?.candidates.map((c) => c.empi)).toEqual([empiOf(first.json)]);
    expect(entry?.candidates[0]?.evidence.fields).toMatchObject({
      given: { agreement: "agreed" },
      birthDate: { agreement: "agreed" },
      phone: { agreement: "disagreed" },
      address: { agreement: "disagreed" },
    });
  });

  it("gives newborn twins registered under a parent's number their own EMPIs at once, the parent's and each other's apart", async () => {
    const born = { family: "张", given: "", sex: "male" as const, birthDate: "2025-01-02", residentId: father.residentId };
    const newborn = (mrn: string, order: number) =>
      feed(ts, mrn, born, { body: { ...patientOf(ts.id, mrn, born), name: [{ family: "张" }], multipleBirthInteger: order } });
    const dad = await feed(ts, "NB-0", father);
    const first = await newborn("NB-1", 1);
    const second = await newborn("NB-2", 2);
    const again = await newborn("NB-3", 1);
    for (const res of [first, second, again]) {
      expect(res.status).toBe(201);
      expect((bodyOf(res).meta as { tag: { code: string }[] }).tag.map((x) => x.code)).toContain("newborn-mother-id");
      expect(empiOf(res.json)).toBeDefined(); // not awaiting review
    }
    expect(new Set([empiOf(dad.json), empiOf(first.json), empiOf(second.json)]).size).toBe(3);
    expect(empiOf(again.json)).toBe(empiOf(first.json));
  });
});

describe("stewardship at the hub", () => {
  it("merges two EMPIs and undoes the merge; PIXm reflects each at once; the merged EMPI answers replaced-by", async () => {
    const person: Registration = {
      family: "刘",
      given: "海燕",
      sex: "female",
      birthDate: "1979-11-23",
      phone: "13722223333",
      address: "河北省唐山市路南区新华道10号",
    };
    const a = empiOf((await feed(ts, "M-A", person)).json)!;
    const b = empiOf(
      (await feed(sjz, "M-B", { ...person, birthDate: "1979-11-28", phone: "15100009999", address: "河北省石家庄市桥西区中山路8号" })).json,
    )!;
    expect(a).not.toBe(b);

    const merged = await operator("/mpi/merge", { survivor: a, merged: b, reason: "same woman: birth certificate seen" });
    expect(merged.status).toBe(200);
    expect(targets((await pix(sjz, mrnOf(ts, "M-A"))).json)).toEqual([`${EMPI_SYSTEM}|${a}`, mrnOf(sjz, "M-B")].sort());
    const old = await pix(sjz, `${EMPI_SYSTEM}|${b}`);
    expect(targets(old.json)).toContain(`${EMPI_SYSTEM}|${a}`);
    const replaced = await call(cityUrl(sjz, `/fhir/Patient?identifier=${encodeURIComponent(`${EMPI_SYSTEM}|${b}`)}`), {
      token: sjz.credential,
      headers: practitioner(sjz),
    });
    expect(replaced.status).toBe(200);
    expect((bodyOf(replaced).entry as { resource: unknown }[])[0]?.resource).toMatchObject({
      id: b,
      link: [{ type: "replaced-by", other: { identifier: { system: EMPI_SYSTEM, value: a } } }],
    });

    expect((await operator("/mpi/unmerge", { merged: b })).status).toBe(200);
    expect(targets((await pix(sjz, mrnOf(ts, "M-A"))).json)).toEqual([`${EMPI_SYSTEM}|${a}`]);
    expect(targets((await pix(sjz, mrnOf(sjz, "M-B"))).json)).toEqual([`${EMPI_SYSTEM}|${b}`]);

    const history = (await call(`${t.province.url}/hub/mpi/residents/${b}`, { token: t.credentials.operator })).json as {
      history: { change: { kind: string } }[];
    };
    expect(history.history.map((h) => h.change.kind)).toEqual(["unmerge", "merge", "feed"]);
    // the merge and the unmerge, audited at the hub with the operator as the actor
    expect(await hubChanges(`${EMPI_SYSTEM}|${b}`)).toHaveLength(2);
  });

  it("lists the review queue, and admits only the operator", async () => {
    await feed(sjz, "R-1", reviewed);
    const doubt = await feed(ts, "R-2", reviewedElsewhere);
    expect((bodyOf(doubt).meta as { tag: unknown[] }).tag).toContainEqual(
      expect.objectContaining({ system: MATCH_TAG_SYSTEM, code: "review" }),
    );
    expect(empiOf(doubt.json)).toBeUndefined();
    const queue = await operator("/mpi/review");
    expect(queue.status).toBe(200);
    const entries = queue.json?.review as {
      resident: { patients: { identifier: Id[] }[] };
      candidates: { evidence: { fields: Record<string, { level: string; agreement: string }> } }[];
    }[];
    const entry = entries.find((e) => e.resident.patients.some((p) => p.identifier.some((i) => i.value === "R-2")));
    expect(entry?.candidates).toHaveLength(1);
    // the steward sees which fields agreed, partly agreed (a day/month swap), disagreed or were missing
    expect(entry?.candidates[0]?.evidence.fields).toMatchObject({
      given: { agreement: "agreed" },
      birthDate: { level: "swap", agreement: "partly-agreed" },
      phone: { agreement: "disagreed" },
      typedId: { agreement: "missing" },
    });
    expect((await call(`${t.province.url}/hub/mpi/review`, { token: sjz.credential })).status).toBe(403);
  });
});

describe("the practitioner rule", () => {
  it("refuses PDQm without X-Practitioner-Id with 403, audited; answers it with one", async () => {
    const query = `/fhir/Patient?identifier=${encodeURIComponent(mrnOf(sjz, "S-1"))}`;
    const refused = await call(cityUrl(ts, query), { token: ts.credential });
    expect(refused.status).toBe(403);
    const found = await call(cityUrl(ts, query), { token: ts.credential, headers: practitioner(ts) });
    expect(found.status).toBe(200);
    expect(found.json?.total).toBe(1);
    const byName = await call(cityUrl(ts, `/fhir/Patient?family=${encodeURIComponent("张")}&given=${encodeURIComponent("子萱")}`), {
      token: ts.credential,
      headers: practitioner(ts),
    });
    expect((bodyOf(byName).entry as { resource: { identifier: Id[] } }[]).map((e) => e.resource.identifier[0]!.value)).toEqual(["D-1"]);
    const events = await auditedWithin(
      () => auditEvents(mrnOf(sjz, "S-1")),
      (e) => e.filter((x) => x.resource.action === "E").length >= 2,
      20_000,
    );
    expect(
      events
        .filter((e) => e.resource.action === "E")
        .map((e) => e.resource.outcome)
        .sort(),
    ).toEqual(["0", "4"]);
  });

  it("refuses a feed or a PIXm query naming a practitioner who is not the hospital's", async () => {
    const stranger = { "x-practitioner-id": ts.practitioners[0]! };
    expect((await feed(sjz, "F-1", father, { headers: stranger })).status).toBe(403);
    expect((await pix(sjz, mrnOf(sjz, "F-1"), "", stranger)).status).toBe(403);
    expect((await pix(sjz, mrnOf(sjz, "F-1"), "", practitioner(sjz))).status).toBe(200);
  });
});

describe("re-indexing the blocking keys (npm run mpi-reindex)", () => {
  const keysOf = async (empi: string) => {
    const ddb = new DynamoDBClient({ endpoint: t.province.endpoints.dynamodb });
    const out = await ddb.send(
      new ScanCommand({
        TableName: hubTable("ResidentKeys"),
        FilterExpression: "empi = :e",
        ExpressionAttributeValues: { ":e": { S: empi } },
      }),
    );
    ddb.destroy();
    return (out.Items ?? []).map((i) => i.key!.S!).sort();
  };
  const removeKeys = async (empi: string, keys: string[]) => {
    const ddb = new DynamoDBClient({ endpoint: t.province.endpoints.dynamodb });
    for (const key of keys)
      await ddb.send(new DeleteItemCommand({ TableName: hubTable("ResidentKeys"), Key: { key: { S: key }, empi: { S: empi } } }));
    ddb.destroy();
  };
  const reindex = (options: Partial<Parameters<typeof reindexResidents>[2]> = {}) =>
    reindexResidents(
      { residents: dynamoResidentStore(hubTable("Residents"), hubTable("ResidentKeys")) },
      dynamoResidentScan(hubTable("Residents"), hubTable("ResidentKeys")),
      { today: new Date().toISOString().slice(0, 10), ...options },
    );
  const command = async (args: string[]) => {
    const root = path.resolve(import.meta.dirname, "../..");
    const { stdout } = await promisify(execFile)(path.join(root, "node_modules/.bin/tsx"), ["scripts/mpi-reindex.ts", ...args], {
      cwd: root,
      env: { ...process.env, HHC_DATA_DIR: t.dataDir },
      timeout: 60_000,
    });
    return JSON.parse(stdout) as { residents: number; absent: Record<string, number>; written: number };
  };

  it("puts back the key items a resident lacks (a survivor's for its merged records too), only those, resumably", async () => {
    const person: Registration = {
      family: "鲍",
      given: "思远",
      sex: "male",
      birthDate: "1983-03-14",
      residentId: makeResidentId("130203", "1983-03-14", "517"),
      phone: "13700000521",
      address: "河北省唐山市路北区龙华道36号",
    };
    const survivor = empiOf((await feed(ts, "RX-1", person)).json)!;
    const merged = empiOf(
      (
        await feed(sjz, "RX-2", {
          ...person,
          residentId: undefined,
          birthDate: "1983-03-19",
          phone: "15100000522",
          address: "河北省石家庄市桥西区自强路12号",
        })
      ).json,
    )!;
    expect(merged).not.toBe(survivor);
    expect((await operator("/mpi/merge", { survivor, merged, reason: "same man: card seen" })).status).toBe(200);
    const indexed = await keysOf(survivor);
    // the merge indexed the merged record's home under the survivor
    expect(indexed).toContain("hm:石家庄市桥西区自强路12号");
    expect(indexed).toContain("hm:唐山市路北区龙华道36号");

    // as if both had been indexed before the engine derived hm:, hh: and nc: keys
    const later = indexed.filter((k) => /^(hm|hh|nc):/.test(k));
    expect(later.length).toBeGreaterThanOrEqual(4);
    await removeKeys(survivor, later);
    expect(await keysOf(survivor)).toEqual(indexed.filter((k) => !later.includes(k)));

    // a dry run counts them (nothing else in this province lacks a key) and writes nothing
    const dry = await command(["--dry-run", "--json"]);
    const count = (absent: Record<string, number>) => Object.values(absent).reduce((a, b) => a + b, 0);
    expect(count(dry.absent)).toBe(later.length);
    expect(dry.absent["hm:"]).toBe(2);
    expect(dry.written).toBe(0);
    expect(await keysOf(survivor)).not.toContain("hm:唐山市路北区龙华道36号");

    // only the kinds asked for
    const homes = await command(["--keys", "hm", "--json"]);
    expect(homes.absent).toEqual({ "hm:": 2 });
    expect(homes.written).toBe(2);
    expect(await keysOf(survivor)).toEqual(
      [...indexed.filter((k) => !later.includes(k)), ...later.filter((k) => k.startsWith("hm:"))].sort(),
    );

    // then the rest, and the index is as the feeds and the merge left it; a second run finds nothing missing
    const rest = await reindex();
    expect(rest.written).toBe(later.length - 2);
    expect(await keysOf(survivor)).toEqual(indexed);
    expect(await reindex()).toMatchObject({ absent: {}, written: 0 });

    // page by page, from any page's cursor, or in parallel segments: every resident once
    const whole = await reindex({ dryRun: true });
    expect(whole.skipped).toBeGreaterThanOrEqual(1); // the merged resident: its survivor answers for its records
    const pages: ReindexReport[] = [];
    const paged = await reindex({ dryRun: true, pageSize: 2, onPage: (p) => pages.push(p) });
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.at(-1)!.cursor).toBeUndefined();
    expect(paged.residents).toBe(whole.residents); // a resident whose versions span two pages is read once
    const resumed = await reindex({ dryRun: true, cursor: pages[0]!.cursor! });
    // the first page's and the rest from its cursor: all (one spanning the two pages, in both)
    const sum = pages[0]!.residents + resumed.residents;
    expect(sum).toBeGreaterThanOrEqual(whole.residents);
    expect(sum).toBeLessThanOrEqual(whole.residents + 1);
    const halves = await Promise.all([0, 1].map((segment) => reindex({ dryRun: true, segment, segments: 2 })));
    expect(halves[0]!.residents + halves[1]!.residents).toBe(whole.residents);
    expect(halves[0]!.keys + halves[1]!.keys).toBe(whole.keys);
  });
});
