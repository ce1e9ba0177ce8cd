/**
 * The FEP agent against the real local province: 300 items queued (a subscription, then patients),
 * the province stopped in the middle of the delivery and started again on the same data and port;
 * every item arrives exactly once, and the documents another hospital publishes for the subscribed
 * resident, before and after the restart, are written to the FEP's inbox exactly once.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { FepAgent } from "#fep/agent.ts";
import { createRng } from "#lib/seed/prng.ts";
import { cdaPublishBundle, patientOf, residentAt } from "#lib/world/index.ts";
import { startProvince } from "#local/province.ts";
import type { LocalCredentials } from "#local/seed.ts";
import { fepConfigSchema } from "#schemas/fep-agent.ts";
import { mrnSystem } from "#schemas/patient.ts";
import { call, freePort, newDataDir, waitFor } from "../support/province.ts";
import { scratchFolders } from "../support/scratch.ts";

// enough that the stop falls in the middle of the delivery, with items delivered, in flight (the
// agent's 8 concurrent calls, some applied and their answers lost) and still queued on each side of
// it: the property is "none lost, none twice", which more items would not check better
const ITEMS = 300;
// before the hook that stops the agent: after-hooks run in reverse order
const tempDir = scratchFolders();
let agent: FepAgent | undefined;
let restarted: Awaited<ReturnType<typeof startProvince>> | undefined;
afterAll(async () => {
  await agent?.stop();
  await restarted?.stop();
});

async function recordsOf(dynamodb: string, table: string, hospitalId: string): Promise<string[]> {
  const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamodb }));
  const prefix = `https://hebei.health/sid/mrn/${hospitalId}|`;
  const keys: string[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(new ScanCommand({ TableName: table, ExclusiveStartKey, ProjectionExpression: "sourceKey" }));
    for (const item of page.Items ?? []) if (String(item.sourceKey).startsWith(prefix)) keys.push(String(item.sourceKey));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return keys;
}

describe("the FEP agent through a province restart", () => {
  it("delivers 300 queued items exactly once although the province stops in the middle", async () => {
    const port = await freePort();
    const dataDir = newDataDir();
    const lines: string[] = [];
    const first = await startProvince({ dataDir, port, log: (l) => lines.push(l) });
    const credentials = JSON.parse(readFileSync(first.credentialsFile, "utf8")) as LocalCredentials;
    const hospital = credentials.hospitals.find((h) => h.cityId === "langfang")!;
    // a resident registered at a Handan hospital, whose new documents the Langfang hospital follows
    const other = credentials.hospitals.find((h) => h.cityId === "handan")!;
    const resident = residentAt(4242, "130402");
    const fed = await call(`${first.url}/cities/handan/fhir/Patient`, {
      token: other.credential,
      body: patientOf(other.id, "FOLLOWED-1", resident),
    });
    expect(fed.status).toBe(201);
    // the follower treats the resident too (a subscription needs a treatment relationship: docs/push.md)
    const treated = await call(`${first.url}/cities/${hospital.cityId}/fhir/Patient`, {
      token: hospital.credential,
      body: patientOf(hospital.id, "FOLLOWED-1", resident),
    });
    expect(treated.status).toBe(201);
    let published = 0;
    const publish = async (url: string) => {
      const n = ++published;
      const bundle = cdaPublishBundle(
        other,
        other.practitioners[0]!,
        `FOLLOWED-DOC-${n}`,
        { system: mrnSystem(other.id), value: "FOLLOWED-1" },
        resident,
        new Date().toISOString(),
        n,
        2000,
        createRng(`fep-test/${n}`),
      );
      const res = await call(`${url}/cities/handan/fhir`, {
        token: other.credential,
        headers: { "x-practitioner-id": other.practitioners[0]! },
        body: bundle,
      });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
    };

    const fepDir = tempDir("hhc-fep-");
    const config = fepConfigSchema.parse({
      nodeUrl: `${first.url}/cities/${hospital.cityId}`,
      hospitalId: hospital.id,
      credential: hospital.credential,
      // a licensed doctor of the hospital names the subscription (listed first: local-credentials.json)
      practitionerId: hospital.practitioners[0],
      concurrency: 8,
      heartbeatSeconds: 5,
      inboxWaitSeconds: 2,
      backoffMs: { min: 100, max: 1000 },
    });
    agent = new FepAgent(config, fepDir);
    writeFileSync(
      path.join(agent.folders.drop, "0000-subscription.json"),
      JSON.stringify({
        resourceType: "Subscription",
        status: "requested",
        reason: "a patient of ours treated in Handan",
        criteria: `DocumentReference?patient.identifier=https://hebei.health/sid/resident-id|${resident.residentId}`,
        channel: { type: "message" },
      }),
    );
    for (let i = 1; i < ITEMS; i++)
      writeFileSync(
        path.join(agent.folders.drop, `patient-${String(i).padStart(4, "0")}.json`),
        JSON.stringify(patientOf(hospital.id, `P${String(i).padStart(7, "0")}`, residentAt(i, "130602"))),
      );
    agent.ingest(); // the subscription first: the queue keeps the drop folder's name order
    agent.start();
    await waitFor(
      async () => agent!.status().delivered,
      (n) => n >= 1,
      60_000,
    );
    await publish(first.url);
    await publish(first.url);
    await waitFor(
      async () => agent!.status().delivered,
      (n) => n >= 100,
      120_000,
    );
    await first.stop(); // calls in flight fail; some were applied and their answers lost
    const atStop = agent.status();
    expect(atStop.queued).toBeGreaterThan(0);
    await waitFor(
      async () => agent!.status().reachable,
      (r) => r === false,
      20_000,
    );

    restarted = await startProvince({ dataDir, port, log: (l) => lines.push(l) });
    expect(restarted.timings.seeded).toBe(false);
    await publish(restarted.url);
    const done = await waitFor(
      async () => agent!.status(),
      (s) => s.delivered + s.rejected + s.parked >= ITEMS,
      180_000,
    );
    expect(done).toMatchObject({ delivered: ITEMS, rejected: 0, parked: 0, queued: 0 });
    expect(done.retries).toBeGreaterThan(0);
    expect(readdirSync(agent.folders.sent).filter((f) => !f.endsWith(".answer.json"))).toHaveLength(ITEMS);

    const table = restarted.resources.get("hub")!.tables.get("PatientRecords")!;
    const records = await recordsOf(restarted.endpoints.dynamodb, table, hospital.id);
    // the 299 fed through the agent, and the followed resident fed directly
    expect(records).toHaveLength(ITEMS);
    expect(new Set(records).size).toBe(ITEMS);

    // the three documents published for the followed resident, each written to the inbox once
    await waitFor(
      async () => agent!.counters.inboxAcknowledged,
      (n) => n >= 3,
      60_000,
    );
    const inbox = readdirSync(agent.folders.inbox).filter((f) => f.endsWith(".json"));
    expect(inbox).toHaveLength(3);
    expect(agent.counters.inboxWritten).toBe(3);
    const references = inbox.map(
      (f) => JSON.parse(readFileSync(path.join(agent!.folders.inbox, f), "utf8")).payload[0].contentReference.reference,
    );
    expect(new Set(references).size).toBe(3);
    for (const r of references) expect(r).toMatch(/^DocumentReference\/handan-/);
  }, 480_000);
});
