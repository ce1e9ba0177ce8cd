/**
 * Signed queue messages through the local province (docs/node-identity.md): the insurance platform
 * adjudicates only claims their city signed under its own Ed25519 key, the hub applies only results the
 * insurance platform signed under its own, and the hub applies a city's exchange and audit messages
 * only if every hospital they name is that city's. Whatever is refused is poison: never applied nor
 * acknowledged, and in the queue's DLQ after its retries.
 */
import { generateKeyPairSync } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, SendMessageCommand, SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildAuditEvent } from "#domain/audit.ts";
import type { ConnectionBoard } from "#domain/connections.ts";
import { type Hospital, register } from "#lib/harness/patients.ts";
import { claimResponses, submit } from "#lib/harness/settlement.ts";
import { ed25519Attributes, settlementPrivateKey, signedAttributes } from "#lib/harness/signed-message.ts";
import { claimOf, residentAt } from "#lib/world/index.ts";
import type { AuditEventMessageV1 } from "#schemas/audit.ts";
import type { HeartbeatMessageV1 } from "#schemas/messages.ts";
import type { ClaimAdjudicatedMessageV1, ClaimMessageV1 } from "#schemas/settlement.ts";
import { clock } from "#shared/clock.ts";
import { call, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";

// the first call of each function is a cold start (its bundle imported): slow on a loaded machine
vi.setConfig({ testTimeout: 240_000 });

let t: TestProvince;
let sqs: SQSClient;
beforeAll(async () => {
  t = await startTestProvince();
  sqs = new SQSClient({ endpoint: t.province.endpoints.sqs });
});
afterAll(async () => {
  sqs?.destroy();
  await t?.province.stop();
});

const hubQueue = (id: string) => t.province.resources.get("hub")!.queues.get(id)!.url;
const depth = async (url: string) =>
  Number(
    (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] }))).Attributes
      ?.ApproximateNumberOfMessages ?? 0,
  );

/**
 * Runs `body` with `queueId`'s refused messages coming back after 1 s instead of the deployed 180 s (so
 * their 5 receives take seconds), and waits until `expected` more messages rest in its DLQ.
 */
async function refusedIntoDlq(queueId: string, expected: number, body: () => Promise<void>): Promise<void> {
  const url = hubQueue(queueId);
  const dlq = hubQueue(`${queueId}Dlq`);
  const before = await depth(dlq);
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: "1" } }));
  try {
    await body();
    await waitFor(
      () => depth(dlq),
      (n) => n === before + expected,
      90_000,
    );
  } finally {
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: "180" } }));
  }
}

describe("settlement messages are signed by their node under its own key (Ed25519)", () => {
  let sjz: Hospital;
  let genuine: ClaimMessageV1;

  it("adjudicates a claim its city signed, and neither an unsigned one, nor one under another key, nor one with only the HMAC the hub could make", async () => {
    sjz = t.credentials.hospitals.find((h) => h.cityId === "shijiazhuang" && h.level === 3 && h.practitioners.length > 0)!;
    const patient = await register(t.province.url, sjz, "SM-1", residentAt(901, "130102"));
    expect((await submit(t.province.url, sjz, claimOf(sjz, "SM-GENUINE", patient, { items: [["A", 1000]] }))).status).toBe(202);
    // the genuine claim is adjudicated and its result applied: both signatures verified
    const [settled] = await waitFor(
      () => claimResponses(t.province.url, sjz, "SM-GENUINE"),
      (rs) => rs.length === 1,
      120_000,
    );
    expect(settled).toMatchObject({ outcome: "complete" });

    genuine = {
      type: "claim",
      version: 1,
      hospitalId: sjz.id,
      claimNumber: "SM-FORGED",
      action: "submit",
      cityId: "shijiazhuang",
      hospitalCityCode: "1301",
      hospitalLevel: "3",
      empi: "E-FORGED",
      residentId: "130102199001011234",
      kind: "professional",
      serviceDate: clock.today(),
      items: [{ sequence: 1, category: "A", netFen: 99_999_00 }],
      submittedAt: clock.isoNow(),
    };
    const forged = (n: number) => JSON.stringify({ ...genuine, claimNumber: `SM-FORGED-${n}` });
    const send = (n: number, MessageAttributes?: Record<string, { DataType: "String"; StringValue: string }>) =>
      sqs.send(
        new SendMessageCommand({
          QueueUrl: hubQueue("Settlement"),
          MessageBody: forged(n),
          // groups of their own, so that the resident's genuine claims are not held behind them
          MessageGroupId: `forged-${n}`,
          MessageDeduplicationId: `forged-claim-${n}`,
          MessageAttributes,
        }),
      );
    const stranger = generateKeyPairSync("ed25519").privateKey;
    await refusedIntoDlq("Settlement", 3, async () => {
      await send(1);
      await send(2, ed25519Attributes("shijiazhuang", forged(2), stranger));
      await send(3, await signedAttributes(t.province.endpoints.ssm, "shijiazhuang", forged(3)));
    });

    // never adjudicated: the insurance platform recorded no decision, and no ClaimResponse exists
    const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: t.province.endpoints.dynamodb }));
    try {
      const ledger = t.province.resources.get("insurance")!.tables.get("InsuranceLedger")!;
      for (const n of [1, 2, 3]) {
        const decision = await ddb.send(new GetCommand({ TableName: ledger, Key: { pk: `claim#${sjz.id}|SM-FORGED-${n}`, sk: "submit" } }));
        expect(decision.Item).toBeUndefined();
        expect(await claimResponses(t.province.url, sjz, `SM-FORGED-${n}`)).toHaveLength(0);
      }
      // while the genuine claim's decision is there (the key is right)
      const real = await ddb.send(new GetCommand({ TableName: ledger, Key: { pk: `claim#${sjz.id}|SM-GENUINE`, sk: "submit" } }));
      expect(real.Item).toBeDefined();
    } finally {
      ddb.destroy();
    }
    // a province's first claim starts the claims, adjudicator and results functions cold: slow on a loaded machine
  }, 420_000);

  it("applies no result but the insurance platform's: not an unsigned one, one under another key, or one a city signed", async () => {
    const result = (n: number): string =>
      JSON.stringify({
        type: "claim-adjudicated",
        version: 1,
        hospitalId: sjz.id,
        claimNumber: `SM-RESULT-${n}`,
        action: "submit",
        cityId: "shijiazhuang",
        empi: genuine.empi,
        kind: "professional",
        outcome: "complete",
        reasons: [],
        amounts: { submittedFen: 100, eligibleFen: 100, deductibleFen: 0, benefitFen: 100 },
        policyVersion: "HEBEI-BMI-2024.1",
        settledAt: clock.isoNow(),
      } satisfies ClaimAdjudicatedMessageV1);
    const send = (n: number, MessageAttributes?: Record<string, { DataType: "String"; StringValue: string }>) =>
      sqs.send(new SendMessageCommand({ QueueUrl: hubQueue("SettlementResults"), MessageBody: result(n), MessageAttributes }));
    // Shijiazhuang's own key exists: it signed the genuine claim above
    const cityKey = await settlementPrivateKey(t.province.endpoints.ssm, "shijiazhuang");
    await refusedIntoDlq("SettlementResults", 3, async () => {
      await send(1);
      await send(2, ed25519Attributes("insurance", result(2), generateKeyPairSync("ed25519").privateKey));
      await send(3, ed25519Attributes("shijiazhuang", result(3), cityKey));
    });
    for (const n of [1, 2, 3]) expect(await claimResponses(t.province.url, sjz, `SM-RESULT-${n}`)).toHaveLength(0);
  });
});

describe("a city's signed messages name only its own hospitals", () => {
  const hospitalOf = (cityId: string, index = 0) => t.credentials.hospitals.filter((h) => h.cityId === cityId)[index]!;
  const board = async () =>
    (await call(`${t.province.url}/hub/connections`, { token: t.credentials.operator })).json as unknown as ConnectionBoard;
  const heartbeat = (hospitalId: string, fepVersion: string): string =>
    JSON.stringify({
      type: "heartbeat",
      version: 1,
      messageId: `hb-${hospitalId}-${fepVersion}`,
      cityId: "baoding",
      hospitalId,
      receivedAt: clock.isoNow(),
      fepVersion,
      backlog: 0,
      fepClock: clock.isoNow(),
    } satisfies HeartbeatMessageV1);
  const asBaoding = async (queueId: string, body: string) =>
    sqs.send(
      new SendMessageCommand({
        QueueUrl: hubQueue(queueId),
        MessageBody: body,
        MessageAttributes: await signedAttributes(t.province.endpoints.ssm, "baoding", body),
      }),
    );

  it("does not apply a heartbeat Baoding signed for a Tangshan hospital or an unknown one, and applies one for its own", async () => {
    const ts = hospitalOf("tangshan", 5);
    const bd = hospitalOf("baoding", 5);
    await refusedIntoDlq("Exchange", 2, async () => {
      await asBaoding("Exchange", heartbeat(ts.id, "6.6.6"));
      await asBaoding("Exchange", heartbeat("no-such-hospital", "6.6.6"));
      // the same signing, for Baoding's own hospital: applied (the refusals are the hospitals', not the signature's)
      await asBaoding("Exchange", heartbeat(bd.id, "3.3.3"));
    });
    const rows = (await waitFor(board, (b) => b.hospitals.find((h) => h.hospitalId === bd.id)?.fepVersion === "3.3.3")).hospitals;
    expect(rows.find((h) => h.hospitalId === ts.id)?.fepVersion).not.toBe("6.6.6");
    expect(rows.find((h) => h.hospitalId === "no-such-hospital")).toBeUndefined();
  });

  it("does not store an audit event Baoding signed naming a Tangshan hospital, as agent or only in its index", async () => {
    const ts = hospitalOf("tangshan", 5);
    const bd = hospitalOf("baoding", 5);
    const event = (hospitalId: string, indexAlso?: string): AuditEventMessageV1 => {
      const built = buildAuditEvent({
        action: "R",
        interaction: "read",
        node: "baoding",
        hospitalId,
        patients: [],
        resource: "Binary/forged",
        result: "success",
        recorded: clock.now(),
      });
      const index = indexAlso ? { ...built.index, agents: [...built.index.agents, indexAlso] } : built.index;
      return { type: "audit-event", version: 1, messageId: String(built.event.id), cityId: "baoding", index, event: built.event };
    };
    const forged = [event(ts.id), event(bd.id, ts.id)];
    await refusedIntoDlq("Audit", 2, async () => {
      for (const message of forged) await asBaoding("Audit", JSON.stringify(message));
    });
    for (const message of forged) {
      const read = await call(`${t.province.url}/hub/fhir/AuditEvent/${message.messageId}`, { token: t.credentials.operator });
      expect(read.status).toBe(404);
    }
  });
});
