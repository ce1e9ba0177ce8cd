/**
 * State survives a restart of the local province, and what a city recorded but never delivered
 * (the process died between the durable write and the send) is re-driven on the next start.
 */
import { readFileSync } from "node:fs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import type { ConnectionBoard } from "#domain/connections.ts";
import { PROVINCE } from "#lib/config/province.ts";
import type { HeartbeatMessageV1 } from "#schemas/messages.ts";
import { call, newDataDir, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";

// a copy of the run's seeded template (whose first start the global setup checks seeded)
const dataDir = newDataDir();
let t: TestProvince | undefined;
afterAll(async () => {
  await t?.province.stop();
});

const board = async (p: TestProvince) =>
  (await call(`${p.province.url}/hub/connections`, { token: p.credentials.operator })).json as unknown as ConnectionBoard;

describe("a restarted province", () => {
  it("keeps the connection board, the registry and the credentials, and re-drives an undelivered heartbeat", async () => {
    // prepare: five heartbeats through a first run
    t = await startTestProvince(dataDir);
    expect(t.province.timings.seeded).toBe(false);
    const five = t.credentials.hospitals.slice(100, 105);
    for (const h of five) {
      const res = await call(`${t.province.url}/cities/${h.cityId}/fep/heartbeat`, {
        token: h.credential,
        body: { fepVersion: "1.0.0", backlog: 0, clock: new Date().toISOString() },
      });
      expect(res.status).toBe(204);
    }
    await waitFor(
      () => board(t!),
      (b) => b.totals.connected === 5,
    );
    // and a heartbeat a city recorded in its outbox but never sent (as if killed right after the write)
    const orphan = t.credentials.hospitals.find((h) => h.cityId === "hengshui")!;
    const message: HeartbeatMessageV1 = {
      type: "heartbeat",
      version: 1,
      messageId: "recorded-not-sent-1",
      cityId: "hengshui",
      hospitalId: orphan.id,
      receivedAt: new Date().toISOString(),
      fepVersion: "1.0.0",
      backlog: 7,
      fepClock: new Date().toISOString(),
    };
    const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: t.province.endpoints.dynamodb }));
    const outbox = t.province.resources.get("hengshui")!.tables.get("Outbox")!;
    await ddb.send(
      new PutCommand({
        TableName: outbox,
        Item: {
          messageId: message.messageId,
          type: "heartbeat",
          body: JSON.stringify(message),
          status: "pending",
          createdAt: message.receivedAt,
          attempts: 1,
          nextAttemptAt: message.receivedAt,
        },
      }),
    );
    ddb.destroy();
    const credentialsBefore = readFileSync(t.province.credentialsFile, "utf8");
    await t.province.stop();

    // act: start again on the same data folder
    t = await startTestProvince(dataDir);

    // assess
    expect(t.province.timings.seeded).toBe(false);
    expect(readFileSync(t.province.credentialsFile, "utf8")).toBe(credentialsBefore);
    const after = await waitFor(
      () => board(t!),
      (b) => b.totals.connected === 6,
    );
    expect(
      after.hospitals
        .filter((h) => h.status === "connected")
        .map((h) => h.hospitalId)
        .sort(),
    ).toEqual([...five.map((h) => h.id), orphan.id].sort());
    expect(after.hospitals.find((h) => h.hospitalId === orphan.id)!.backlog).toBe(7);
    const ddb2 = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: t.province.endpoints.dynamodb }));
    const left = await waitFor(
      async () => (await ddb2.send(new ScanCommand({ TableName: outbox }))).Items ?? [],
      (items) => items.length === 0,
    );
    ddb2.destroy();
    expect(left).toEqual([]);
  }, 240_000);

  it("serves /health and a valid R4 CapabilityStatement on all 12 nodes without a credential", async () => {
    expect(t!.province.nodes).toHaveLength(1 + PROVINCE.cities.length);
    for (const node of t!.province.nodes) {
      const health = await call(`${node.url}/health`);
      expect(health.status).toBe(200);
      expect(health.json).toMatchObject({ status: "pass", node: node.nodeId });
      const meta = await call(`${node.url}/fhir/metadata`);
      expect(meta.status).toBe(200);
      expect(meta.headers.get("content-type")).toBe("application/fhir+json");
      const cs = meta.json as Record<string, unknown> & { rest: { mode: string; resource: unknown[] }[]; implementation?: unknown };
      // the elements R4 requires of a CapabilityStatement, and cpb-2: an instance statement has an implementation
      expect(cs).toMatchObject({
        resourceType: "CapabilityStatement",
        status: "active",
        kind: "instance",
        fhirVersion: "4.0.1",
        format: ["json"],
      });
      expect(Number.isNaN(Date.parse(String(cs.date)))).toBe(false);
      expect(cs.implementation).toBeDefined();
      expect(cs.rest[0]!.mode).toBe("server");
      expect(JSON.stringify(cs)).not.toContain("/internal/");
    }
  });
});
