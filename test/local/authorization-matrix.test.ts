/**
 * The authorization matrix (issue 12; docs/security.md#authorization-matrix), through one local
 * province: every route of every API the node declarations declare has an entry in
 * test/authz/matrix-cases.ts — cases, or a reasoned exemption — and a route without one fails here,
 * named. Every case is refused as the design says (403, or 404 / the uniform answer where saying
 * "exists" would leak), with a FHIR OperationOutcome, changes nothing, and is recorded: an AuditEvent
 * in the hub's audit repository, or, for a refusal made before any function ran, a line of the
 * gateway's access log.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CITY_DECLARATION, HUB_DECLARATION } from "#lib/declaration/index.ts";
import { claimOf, encounterOf, patientOf, publishBundle, son } from "#lib/world/index.ts";
import { EMPI_SYSTEM, mrnSystem } from "#schemas/patient.ts";
import {
  type Attempt,
  entryOf,
  type Hospital,
  type MatrixCase,
  type MatrixContext,
  type Outcome,
  type RouteEntry,
  type Victim,
} from "../authz/matrix-cases.ts";
import { call, queueSettled, signedCall, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";

// one province for the file; cases run in batches (the first call of each function is a cold start)
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 });

/** Every declared route, with its matrix entry */
const ROUTES = [HUB_DECLARATION, CITY_DECLARATION].flatMap((node) =>
  node.apis.flatMap((api) =>
    api.routes.map((route) => ({
      key: `${node.kind} ${api.id} ${route.method} ${route.path}`,
      entry: entryOf(node.kind as "hub" | "city", api.id, route.method, route.path, route.auth === undefined),
    })),
  ),
);

let t: TestProvince;
let ctx: MatrixContext;
let ddb: DynamoDBDocumentClient;
/** The outcome of each case, by route key and case index */
const outcomes = new Map<string, { kase: MatrixCase; outcome: Outcome }>();

const attempt = async (res: Promise<{ status: number; headers: Headers; json?: Record<string, unknown> }>): Promise<Attempt> => {
  const { status, headers, json } = await res;
  const errorType = headers.get("x-amzn-errortype") ?? undefined;
  return { status, json, requestId: headers.get("x-amzn-requestid") ?? "", ...(errorType ? { errorType } : {}) };
};

const practitionerHeader = (init: { practitioner?: string; headers?: Record<string, string> } = {}) => ({
  ...init.headers,
  ...(init.practitioner ? { "x-practitioner-id": init.practitioner } : {}),
});

beforeAll(async () => {
  t = await startTestProvince();
  ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: t.province.endpoints.dynamodb }));
  const cityUrl = (h: Hospital, path: string) => `${t.province.url}/cities/${h.cityId}${path}`;
  const b = t.credentials.hospitals.find((h) => h.cityId === "baoding")!;
  const asB = (method: string, path: string, init: { body?: unknown; practitioner?: string } = {}) =>
    call(cityUrl(b, path), { method, token: b.credential, body: init.body, headers: practitionerHeader(init) });
  const doctor = b.practitioners[0]!;
  const expectOk = (what: string, res: { status: number; json?: unknown }) => {
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json as Record<string, unknown>;
  };

  // what B owns: a patient, a document, an encounter, a subscription, a claim and its settlement in B's inbox
  const mrn = { system: mrnSystem(b.id), value: "MX-1" };
  const fed = expectOk("feed", await asB("POST", "/fhir/Patient", { body: patientOf(b.id, mrn.value, son) }));
  const empi = (fed.identifier as { system: string; value: string }[]).find((i) => i.system === EMPI_SYSTEM)!.value;
  const [published, , subscribed, claimed, roles] = await Promise.all([
    asB("POST", "/fhir", {
      practitioner: doctor,
      body: publishBundle(b, "MX-DOC-1", mrn, { bytes: Buffer.from("<ClinicalDocument>matrix</ClinicalDocument>"), withList: false }),
    }),
    asB("POST", "/fhir/Encounter", {
      practitioner: doctor,
      body: encounterOf(b.id, "MX-ENC-1", mrn.value, false, "2026-01-05T09:00:00+08:00"),
    }),
    asB("POST", "/fhir/Subscription", {
      practitioner: doctor,
      body: {
        resourceType: "Subscription",
        status: "requested",
        reason: "care",
        criteria: `DocumentReference?patient.identifier=${mrn.system}|${mrn.value}`,
        channel: { type: "message" },
      },
    }),
    asB("POST", "/fhir/Claim", { practitioner: doctor, body: claimOf(b, "MX-CLAIM-1", mrn, { items: [["A", 120]] }) }),
    asB("GET", `/fhir/PractitionerRole?practitioner=${doctor}&organization=${b.id}`),
  ]);
  const location = String((expectOk("publish", published).entry as { response: { location: string } }[])[0]!.response.location);
  const documentId = location.split("/")[1]!;
  expectOk("claim", claimed);
  const found = expectOk(
    "find",
    await asB("GET", `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${mrn.system}|${mrn.value}`)}`, {
      practitioner: doctor,
    }),
  );
  const doc = (found.entry as { resource: { id: string; content: { attachment: { url: string } }[] } }[]).find(
    (e) => e.resource.id === documentId,
  )!.resource;
  // the claim's settlement reaches B's inbox as a Communication (left unacknowledged)
  const inbox = await waitFor(
    async () => expectOk("inbox", await asB("GET", "/fep/inbox?wait=2")),
    (bundle) => ((bundle.entry as unknown[] | undefined) ?? []).length > 0,
    60_000,
  );
  const victim: Victim = {
    hospital: b,
    practitioner: doctor,
    roleId: (expectOk("roles", roles).entry as { resource: { id: string } }[])[0]!.resource.id,
    mrn,
    empi,
    documentId,
    binaryId: doc.content[0]!.attachment.url.split("/").at(-1)!,
    encounter: "MX-ENC-1",
    subscriptionId: String(expectOk("subscribe", subscribed).id),
    claim: "MX-CLAIM-1",
    communicationId: String((inbox.entry as { resource: { id: string } }[])[0]!.resource.id),
  };

  // attackers: every other hospital, each used by one case at most
  const used = new Set([b.id]);
  const pool = t.credentials.hospitals.filter((h) => !used.has(h.id));
  const nodeUrl = (target: string) => (target === "hub" ? `${t.province.url}/hub` : `${t.province.url}/cities/${target}`);
  ctx = {
    victim,
    attacker(cityId) {
      // no city asked: one of the city with the most hospitals left, so that no city's run out before the cases that name it
      const left = (c: string) => pool.filter((x) => !used.has(x.id) && x.cityId === c).length;
      const city = cityId ?? [...new Set(pool.map((x) => x.cityId))].sort((a, b) => left(b) - left(a))[0];
      const h = pool.find((x) => !used.has(x.id) && x.cityId === city);
      if (!h) throw new Error(`no unused hospital left${cityId ? ` in ${cityId}` : ""}`);
      used.add(h.id);
      return h;
    },
    asHospital: (h, method, path, init = {}) =>
      attempt(call(cityUrl(h, path), { method, token: h.credential, body: init.body, headers: practitionerHeader(init) })),
    atHub: (token, method, path, init = {}) =>
      attempt(call(`${t.province.url}/hub${path}`, { method, token, body: init.body, headers: practitionerHeader(init) })),
    signed(signer, target, method, path, init = {}) {
      const identity = t.province.identities.of(signer.nodeId, signer.fn);
      if (!identity) throw new Error(`no identity for ${signer.nodeId} ${signer.fn}`);
      return attempt(signedCall(identity, method, `${nodeUrl(target)}${path}`, practitionerHeader(init), init.body));
    },
    unsigned: (target, method, path, init = {}) =>
      attempt(call(`${nodeUrl(target)}${path}`, { method, token: init.token, body: init.body, headers: practitionerHeader(init) })),
    asVictim: (method, path, init = {}) => attempt(asB(method, path, init)),
    async readDocument(cityId, key, table) {
      const name = t.province.resources.get(cityId)!.tables.get(table)!;
      return (await ddb.send(new GetCommand({ TableName: name, Key: key, ConsistentRead: true }))).Item;
    },
  };
});

afterAll(async () => {
  ddb?.destroy();
  await t?.province.stop();
});

describe("the matrix covers every declared route", () => {
  it("has an entry for every route of every API in the declarations, cases or a reasoned exemption", () => {
    const missing = ROUTES.filter((r) => !r.entry).map((r) => r.key);
    expect(missing, `routes without an authorization-matrix entry (test/authz/matrix-cases.ts): ${missing.join(", ")}`).toEqual([]);
    for (const { key, entry } of ROUTES) {
      if ("exempt" in entry!) expect(entry.exempt.length, `${key}: an exemption says why`).toBeGreaterThan(20);
      else expect(entry!.cases.length, `${key}: at least one case`).toBeGreaterThan(0);
    }
  });
});

const withCases = ROUTES.filter((r): r is { key: string; entry: Extract<RouteEntry, { cases: unknown }> } =>
  Boolean(r.entry && "cases" in r.entry),
);

/** Runs `items` with at most `limit` at a time */
async function inBatches<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

describe("every case is refused, with an OperationOutcome, and changes nothing", () => {
  it(`refuses all ${withCases.reduce((n, r) => n + r.entry.cases.length, 0)} cases of ${withCases.length} routes`, async () => {
    const failures: string[] = [];
    const cases = withCases.flatMap(({ key, entry }) =>
      entry.cases.map((kase, i) => ({ id: `${key} #${i + 1} (${kase.dimension}: ${kase.title})`, kase })),
    );
    await inBatches(cases, 6, async ({ id, kase }) => {
      try {
        const outcome = await kase.run(ctx);
        outcomes.set(id, { kase, outcome });
        const { status, json } = outcome.attempt;
        const said = `${status} ${JSON.stringify(json)?.slice(0, 300)}`;
        if (status !== kase.answer.status) failures.push(`${id}: expected ${kase.answer.status}, got ${said}`);
        else if (kase.answer.uniform) {
          if (JSON.stringify(json) !== JSON.stringify(kase.answer.uniform))
            failures.push(`${id}: expected the uniform answer, got ${said}`);
        } else if (json?.resourceType !== "OperationOutcome") failures.push(`${id}: not an OperationOutcome: ${said}`);
        if (status === kase.answer.status) await outcome.unchanged?.();
      } catch (error) {
        failures.push(`${id}: ${(error as Error).message}`);
      }
    });
    expect(failures).toEqual([]);
  });
});

describe("every refusal is recorded", () => {
  it("in the hub's audit repository (an AuditEvent naming the caller, outcome 4), or in the gateway's access log", async () => {
    expect(outcomes.size).toBeGreaterThan(0);
    // the cities send their AuditEvents to the hub's Audit queue before answering; the consumer stores them
    await queueSettled(t.province, "hub", "Audit", 60_000);
    const failures: string[] = [];
    const auditEvents = async (agent: string, outcome: string) => {
      const res = await call(`${t.province.url}/hub/fhir/AuditEvent?agent=${encodeURIComponent(agent)}&outcome=${outcome}&_count=50`, {
        token: t.credentials.operator,
      });
      if (res.status !== 200) throw new Error(`AuditEvent search: ${res.status} ${JSON.stringify(res.json)}`);
      return ((res.json!.entry as unknown[] | undefined) ?? []).length;
    };
    await inBatches([...outcomes], 6, async ([id, { kase, outcome }]) => {
      if (kase.recordedBy === "audit") {
        if (!outcome.agent) return void failures.push(`${id}: no agent to find its AuditEvent by`);
        const wanted = kase.answer.uniform ? "0" : "4";
        // the Audit queue is empty; an event sent late (the outbox sweeper) still gets a few seconds
        const found = await waitFor(
          () => auditEvents(outcome.agent!, wanted),
          (n) => n > 0,
          5_000,
        ).catch(() => 0);
        if (found === 0) failures.push(`${id}: no AuditEvent with agent ${outcome.agent} and outcome ${wanted}`);
        return;
      }
      const line = t.province.accessLog.find((l) => l.requestId === outcome.attempt.requestId);
      if (!line) return void failures.push(`${id}: no access-log line for request ${outcome.attempt.requestId}`);
      // the gateway answered itself (an error type): no function ran, so nothing can have changed
      if (line.status !== kase.answer.status || !line.errorType)
        failures.push(`${id}: access log says ${line.status} ${line.errorType ?? "(a function's answer)"}`);
      if (outcome.agent && line.principalId !== outcome.agent) failures.push(`${id}: access log names principal ${line.principalId}`);
      if (outcome.caller && !line.callerArn?.includes(outcome.caller)) failures.push(`${id}: access log names caller ${line.callerArn}`);
    });
    expect(failures).toEqual([]);
  });
});
