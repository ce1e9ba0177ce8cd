/** The FEP agent against a scripted node (a real HTTP server): delivery, refusals, retries, parking, the inbox. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FepAgent } from "#fep/agent.ts";
import { fepConfigSchema } from "#schemas/fep-agent.ts";
import { waitFor } from "../support/province.ts";
import { scratchFolders } from "../support/scratch.ts";

type Script = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let server: Server | undefined;
let agent: FepAgent | undefined;
const tempDir = scratchFolders();
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

async function node(script: Script): Promise<string> {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => script(req, body, res));
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/cities/baoding`;
}

function newAgent(nodeUrl: string, overrides: Record<string, unknown> = {}) {
  const dir = tempDir("hhc-fep-");
  const config = fepConfigSchema.parse({
    nodeUrl,
    hospitalId: "bd-0001",
    credential: "a-credential-of-the-hospital",
    practitionerId: "prac-1",
    heartbeatSeconds: 3600,
    inbox: false,
    backoffMs: { min: 20, max: 100 },
    ...overrides,
  });
  agent = new FepAgent(config, dir);
  return { agent, dir };
}

const drop = (dir: string, name: string, content: unknown) =>
  writeFileSync(path.join(dir, "drop", name), typeof content === "string" ? content : JSON.stringify(content));
const files = (dir: string, folder: string) => readdirSync(path.join(dir, folder)).sort();

describe("the FEP agent", () => {
  it("delivers dropped items in order to their routes, with the credential and the practitioner", async () => {
    const seen: string[] = [];
    const url = await node((req, body, res) => {
      if (req.url?.endsWith("/fep/heartbeat")) return res.writeHead(204).end();
      seen.push(
        `${req.method} ${req.url} ${req.headers.authorization} ${req.headers["x-practitioner-id"]} ${JSON.parse(body).resourceType}`,
      );
      res.writeHead(201, { "content-type": "application/fhir+json" }).end('{"resourceType":"Patient","id":"x"}');
    });
    const { agent, dir } = newAgent(url);
    drop(dir, "1-patient.json", { resourceType: "Patient" });
    drop(dir, "2-encounter.json", { resourceType: "Encounter" });
    drop(dir, "3-bundle.json", { practitionerId: "prac-9", resource: { resourceType: "Bundle" } });
    drop(dir, "4-claim.json", { resourceType: "Claim" });
    drop(dir, "5-partial.json.tmp", "{ not yet complete");
    drop(dir, "6-case-report.json", { resourceType: "Bundle", type: "message" });
    agent.start();
    await waitFor(
      async () => agent.status().delivered,
      (n) => n === 5,
      5000,
    );
    expect(seen).toEqual([
      "POST /cities/baoding/fhir/Patient Bearer a-credential-of-the-hospital prac-1 Patient",
      "POST /cities/baoding/fhir/Encounter Bearer a-credential-of-the-hospital prac-1 Encounter",
      "POST /cities/baoding/fhir Bearer a-credential-of-the-hospital prac-9 Bundle",
      "POST /cities/baoding/fhir/Claim Bearer a-credential-of-the-hospital prac-1 Claim",
      "POST /cities/baoding/fhir/$process-message Bearer a-credential-of-the-hospital prac-1 Bundle",
    ]);
    expect(files(dir, "sent").filter((f) => !f.endsWith(".answer.json"))).toHaveLength(5);
    expect(files(dir, "queue")).toEqual([]);
    expect(files(dir, "drop")).toEqual(["5-partial.json.tmp"]);
  });

  it("puts a refused item aside with the node's OperationOutcome, and refuses what it cannot deliver itself", async () => {
    const url = await node((_req, _body, res) =>
      res
        .writeHead(400)
        .end('{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","expression":["birthDate"]}]}'),
    );
    const { agent, dir } = newAgent(url);
    drop(dir, "a.json", { resourceType: "Patient" });
    drop(dir, "b.json", { resourceType: "Observation" });
    drop(dir, "c.json", "{ broken");
    agent.start();
    await waitFor(
      async () => agent.status().rejected,
      (n) => n === 3,
      5000,
    );
    const rejected = files(dir, "rejected");
    expect(rejected.filter((f) => f.endsWith(".outcome.json"))).toHaveLength(3);
    const outcome = JSON.parse(readFileSync(path.join(dir, "rejected", rejected.find((f) => f.endsWith("a.outcome.json"))!), "utf8"));
    expect(outcome.issue[0].expression).toEqual(["birthDate"]);
    const local = JSON.parse(readFileSync(path.join(dir, "rejected", rejected.find((f) => f.endsWith("b.outcome.json"))!), "utf8"));
    expect(local.issue[0].diagnostics).toMatch(/not Observation/);
    expect(agent.status().delivered).toBe(0);
  });

  it("retries through an unreachable node and 503s and 401s without losing the item, and keeps the order", async () => {
    let calls = 0;
    const order: string[] = [];
    const url = await node((req, body, res) => {
      if (req.url?.endsWith("/fep/heartbeat")) return res.writeHead(204).end();
      calls++;
      if (calls <= 2) return res.writeHead(503).end("{}");
      if (calls === 3) return res.writeHead(401).end("{}");
      order.push(JSON.parse(body).id);
      res.writeHead(200).end("{}");
    });
    const port = Number(new URL(url).port);
    const { agent: first, dir } = newAgent(`http://127.0.0.1:${port + 1}/cities/baoding`); // nothing listens there
    drop(dir, "1.json", { resourceType: "Patient", id: "first" });
    drop(dir, "2.json", { resourceType: "Patient", id: "second" });
    first.start();
    await waitFor(
      async () => first.status().retries,
      (n) => n >= 2,
      5000,
    );
    expect(first.status()).toMatchObject({ reachable: false, delivered: 0, queued: 2 });
    await first.stop();
    // the same folders, now pointing at the node: the queued items survive the restart
    const config = fepConfigSchema.parse({
      nodeUrl: url,
      hospitalId: "bd-0001",
      credential: "a-credential-of-the-hospital",
      heartbeatSeconds: 3600,
      inbox: false,
      backoffMs: { min: 20, max: 100 },
    });
    const again = new FepAgent(config, dir);
    agent = again;
    again.start();
    await waitFor(
      async () => again.status().delivered,
      (n) => n === 2,
      5000,
    );
    expect(order).toEqual(["first", "second"]);
    expect(again.status().retries).toBe(3);
  });

  it("parks an item after its bounded server errors and goes on with the next", async () => {
    const url = await node((req, body, res) => {
      if (req.url?.endsWith("/fep/heartbeat")) return res.writeHead(204).end();
      if (JSON.parse(body).id === "poison") return res.writeHead(500).end('{"resourceType":"OperationOutcome"}');
      res.writeHead(201).end("{}");
    });
    const { agent, dir } = newAgent(url, { maxServerErrors: 3 });
    drop(dir, "1.json", { resourceType: "Claim", id: "poison" });
    drop(dir, "2.json", { resourceType: "Claim", id: "fine" });
    agent.start();
    await waitFor(
      async () => agent.status(),
      (s) => s.parked === 1 && s.delivered === 1,
      5000,
    );
    expect(files(dir, "parked").filter((f) => !f.endsWith(".outcome.json"))).toHaveLength(1);
  });

  it("writes each inbox Communication once, acknowledging only after the write, and survives a lost acknowledgement", async () => {
    const communication = (id: string) => ({
      resourceType: "Communication",
      id,
      status: "completed",
      payload: [{ contentReference: { reference: `DocumentReference/${id}` } }],
    });
    const acks: string[] = [];
    let polls = 0;
    const url = await node((req, _body, res) => {
      if (req.url?.startsWith("/cities/baoding/fep/inbox?wait=")) {
        polls++;
        // the second poll redelivers c-1 (its first acknowledgement was "lost") and adds a hostile id
        const entries =
          polls === 1 ? [communication("c-1")] : polls === 2 ? [communication("c-1"), communication("c-2"), communication("../x")] : [];
        return res
          .writeHead(200)
          .end(JSON.stringify({ resourceType: "Bundle", type: "searchset", entry: entries.map((resource) => ({ resource })) }));
      }
      const ack = req.url?.match(/\/fep\/inbox\/([^/]+)\/ack$/);
      if (ack) {
        acks.push(ack[1]!);
        return res.writeHead(acks.length === 1 ? 500 : 204).end();
      }
      res.writeHead(404).end();
    });
    const { agent, dir } = newAgent(url);
    expect(await agent.pollInbox(0)).toBe(1);
    expect(existsSync(path.join(dir, "inbox", "c-1.json"))).toBe(true);
    expect(await agent.pollInbox(0)).toBe(2);
    expect(files(dir, "inbox")).toEqual(["c-1.json", "c-2.json"]);
    expect(agent.counters).toMatchObject({ inboxWritten: 2, inboxAcknowledged: 2 });
    expect(acks).toEqual(["c-1", "c-1", "c-2"]);
  });

  it("reports its backlog in heartbeats", async () => {
    const beats: unknown[] = [];
    const url = await node((req, body, res) => {
      if (req.url?.endsWith("/fep/heartbeat")) beats.push(JSON.parse(body));
      res.writeHead(204).end();
    });
    const { agent, dir } = newAgent(url);
    drop(dir, "1.json", { resourceType: "Patient" });
    drop(dir, "2.json", { resourceType: "Patient" });
    expect(await agent.heartbeat()).toBe(true);
    expect(beats).toEqual([{ fepVersion: "1.0.0", backlog: 2, clock: expect.any(String) }]);
  });

  it("refuses a configuration that names no node or no credential, field by field", () => {
    const result = fepConfigSchema.safeParse({ nodeUrl: "ftp://x", hospitalId: "bd 1", credential: "short" });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join("."))).toEqual(["nodeUrl", "hospitalId", "credential"]);
  });
});
