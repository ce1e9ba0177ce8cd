/**
 * Who may act as whom between nodes (docs/node-identity.md), through the local province: the gateway
 * verifies SigV4 signatures against each function's own key and applies the internal API's resource
 * policy and each function's declared calls; the hub derives the calling city from that identity and
 * refuses (403, audited) a hospital of another city; queue consumers apply a message naming a city
 * only if that city signed it; the DynamoDB, SQS and S3 emulators admit a function's own key only to
 * what its declaration grants (local/iam.ts).
 */
import { createHmac } from "node:crypto";
import { DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ConnectionBoard } from "#domain/connections.ts";
import { HUB_DECLARATION } from "#lib/declaration/index.ts";
import type { SqsCall } from "#local/emulator-guards.ts";
import { type DynamoWrite, LOCAL_CREDENTIALS } from "#local/emulators.ts";
import type { LocalIdentity } from "#local/identities.ts";
import { call, signedCall, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";

// the first call of each function is a cold start (its bundle imported): slow on a loaded machine
vi.setConfig({ testTimeout: 240_000 });

let t: TestProvince;
beforeAll(async () => {
  t = await startTestProvince();
});
afterAll(async () => {
  await t?.province.stop();
});

const hospitalOf = (cityId: string, index = 0) => t.credentials.hospitals.filter((h) => h.cityId === cityId)[index]!;
const identityOf = (nodeId: string, functionId: string): LocalIdentity => {
  const identity = t.province.identities.of(nodeId, functionId);
  if (!identity) throw new Error(`no identity for ${nodeId} ${functionId}`);
  return identity;
};

const hub = () => `${t.province.url}/hub`;

/** What an AWS SDK call to an emulator came to: "allowed", or the error's name and HTTP status ("AccessDenied 403") */
const outcome = (call: Promise<unknown>) =>
  call.then(
    () => "allowed",
    (error: Error & { $metadata?: { httpStatusCode?: number } }) => `${error.name} ${error.$metadata?.httpStatusCode}`,
  );

describe("the local gateway verifies SigV4 on IAM routes", () => {
  it("refuses a SigV4-shaped header that no key of the province signed (403), and a valid one re-signed with a wrong secret", async () => {
    const forged = await fetch(`${hub()}/internal/authenticate`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-amz-date": new Date().toISOString().replace(/[-:]|\.\d{3}/g, ""),
        authorization: `AWS4-HMAC-SHA256 Credential=AKIAFORGED0000000000/${new Date().toISOString().slice(0, 10).replace(/-/g, "")}/cn-north-1/execute-api/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${"0".repeat(64)}`,
      },
      body: JSON.stringify({ credential: "anything" }),
    });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code: "forbidden" }] });

    // a real access key id, but not its secret
    const { accessKeyId } = identityOf("baoding", "HospitalAuthorizer");
    const wrongSecret = await signedCall(
      { accessKeyId, secretAccessKey: "not-the-secret" },
      "POST",
      `${hub()}/internal/authenticate`,
      {},
      {
        credential: "anything",
      },
    );
    expect(wrongSecret.status).toBe(403);

    // the same call signed with the authorizer's own key reaches the hub (which refuses the credential: 401)
    const genuine = await signedCall(
      identityOf("baoding", "HospitalAuthorizer"),
      "POST",
      `${hub()}/internal/authenticate`,
      {},
      {
        credential: "anything",
      },
    );
    expect(genuine.status).toBe(401);
  });

  it("refuses a city function a hub route its declaration does not list (403), and admits the ones it does", async () => {
    const bd = hospitalOf("baoding");
    // FepHeartbeat calls only the practitioner check: the MPI feed is not its to call
    const feed = await signedCall(
      identityOf("baoding", "FepHeartbeat"),
      "POST",
      `${hub()}/internal/fhir/Patient`,
      {
        "x-hhc-hospital": bd.id,
      },
      { resourceType: "Patient" },
    );
    expect(feed.status).toBe(403);
    expect(JSON.stringify(feed.json)).toContain("execute-api:Invoke");
    // the record locator is DocumentQuery's, not the authorizer's
    const locator = await signedCall(identityOf("baoding", "HospitalAuthorizer"), "GET", `${hub()}/internal/record-locator/E0000000001`);
    expect(locator.status).toBe(403);
    // a hub function is no city: the internal API's resource policy admits city roles only
    const fromHub = await signedCall(identityOf("hub", "Connections"), "POST", `${hub()}/internal/authenticate`, {}, { credential: "x" });
    expect(fromHub.status).toBe(403);

    const check = await signedCall(
      identityOf("baoding", "FepHeartbeat"),
      "POST",
      `${hub()}/internal/practitioner-check`,
      {},
      {
        hospitalId: bd.id,
        practitionerId: bd.practitioners[0]!,
      },
    );
    expect(check.status).toBe(200);
    expect(check.json).toMatchObject({ active: true });
  });
});

describe("the hub knows which city calls, and refuses one acting for another city's hospital", () => {
  const refusalsOf = async (hospitalId: string) => {
    const res = await call(`${hub()}/fhir/AuditEvent?agent=${hospitalId}&outcome=4`, { token: t.credentials.operator });
    expect(res.status).toBe(200);
    return ((res.json!.entry as { resource: Record<string, unknown> }[] | undefined) ?? []).map((e) => e.resource);
  };

  it("refuses Baoding's node acting for a Tangshan hospital on every internal route that names one (403), each refusal audited", async () => {
    const ts = hospitalOf("tangshan");
    const asBaoding = (fn: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      signedCall(identityOf("baoding", fn), method, `${hub()}${path}`, { "x-hhc-hospital": ts.id, ...headers }, body);

    const answers = {
      practitionerCheck: await asBaoding("FepHeartbeat", "POST", "/internal/practitioner-check", {
        hospitalId: ts.id,
        practitionerId: ts.practitioners[0]!,
      }),
      feed: await asBaoding("PatientFeed", "POST", "/internal/fhir/Patient", { resourceType: "Patient" }),
      subscriptions: await asBaoding("SubscriptionProxy", "GET", "/internal/fhir/Subscription", undefined, { "x-hhc-city": "tangshan" }),
      claimResponses: await asBaoding("Claims", "GET", `/internal/fhir/ClaimResponse?request.identifier=x|1`),
      staff: await asBaoding("RegistryProxy", "POST", "/internal/fhir/Practitioner", { resourceType: "Practitioner" }),
    };
    for (const [route, answer] of Object.entries(answers)) {
      expect({ route, status: answer.status }).toEqual({ route, status: 403 });
      expect(answer.json).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code: "forbidden" }] });
      expect(JSON.stringify(answer.json)).toContain(`City node baoding may not act for hospital ${ts.id}`);
    }
    const refusals = await refusalsOf(ts.id);
    expect(refusals.length).toBeGreaterThanOrEqual(Object.keys(answers).length);
    expect(refusals.every((e) => String(e.outcomeDesc).includes("City node baoding"))).toBe(true);
  });

  it("still serves a city acting for its own hospital", async () => {
    const bd = hospitalOf("baoding");
    const own = await signedCall(identityOf("baoding", "SubscriptionProxy"), "GET", `${hub()}/internal/fhir/Subscription`, {
      "x-hhc-hospital": bd.id,
    });
    expect(own.status).toBe(200);
    expect(own.json).toMatchObject({ resourceType: "Bundle" });
  });
});

describe("queue messages naming a city are applied only if that city signed them", () => {
  const board = async () => (await call(`${hub()}/connections`, { token: t.credentials.operator })).json as unknown as ConnectionBoard;
  const rowOf = async (hospitalId: string) => (await board()).hospitals.find((h) => h.hospitalId === hospitalId);

  it("does not apply a forged heartbeat naming Baoding (unsigned, signed by Tangshan, or in Baoding's name with Tangshan's key), and applies the genuine one", async () => {
    const bd = hospitalOf("baoding", 3);
    const ts = hospitalOf("tangshan", 3);
    // Tangshan's node has sent something, so its signing key exists
    const tsBeat = await call(`${t.province.url}/cities/tangshan/fep/heartbeat`, {
      token: ts.credential,
      body: { fepVersion: "1.0.0", backlog: 0, clock: new Date().toISOString() },
    });
    expect(tsBeat.status).toBe(204);
    await waitFor(
      () => rowOf(ts.id),
      (row) => row?.fepVersion === "1.0.0",
    );
    const ssm = new SSMClient({ endpoint: t.province.endpoints.ssm });
    const tangshanKey = Buffer.from(
      (await ssm.send(new GetParameterCommand({ Name: "/hhc/keys/city/tangshan", WithDecryption: true }))).Parameter!.Value!,
      "base64",
    );
    ssm.destroy();

    const forged = (n: number) =>
      JSON.stringify({
        type: "heartbeat",
        version: 1,
        messageId: `forged-${n}`,
        cityId: "baoding",
        hospitalId: bd.id,
        receivedAt: new Date().toISOString(),
        fepVersion: "6.6.6",
        backlog: 666,
        fepClock: new Date().toISOString(),
      });
    const mac = (sender: string, body: string) =>
      createHmac("sha256", tangshanKey).update(`${sender}\nbaoding\n${body}`, "utf8").digest("base64");
    const attributes = (sender: string, signature: string) => ({
      "hhc-node": { DataType: "String", StringValue: sender },
      "hhc-signature": { DataType: "String", StringValue: signature },
    });
    const sqs = new SQSClient({ endpoint: t.province.endpoints.sqs });
    const exchange = t.province.resources.get("hub")!.queues.get("Exchange")!.url;
    const bodies = [forged(1), forged(2), forged(3)];
    await sqs.send(new SendMessageCommand({ QueueUrl: exchange, MessageBody: bodies[0] }));
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: exchange,
        MessageBody: bodies[1],
        MessageAttributes: attributes("tangshan", mac("tangshan", bodies[1]!)),
      }),
    );
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: exchange,
        MessageBody: bodies[2],
        MessageAttributes: attributes("baoding", mac("baoding", bodies[2]!)),
      }),
    );
    // the consumer has received all three and refused them: they stay in the queue (in flight), never deleted
    await waitFor(
      async () =>
        Number(
          (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: exchange, AttributeNames: ["ApproximateNumberOfMessagesNotVisible"] })))
            .Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0,
        ),
      (inFlight) => inFlight >= 3,
    );
    sqs.destroy();
    expect((await rowOf(bd.id))?.fepVersion).not.toBe("6.6.6");

    // the genuine heartbeat, through Baoding's node, is applied
    const genuine = await call(`${t.province.url}/cities/baoding/fep/heartbeat`, {
      token: bd.credential,
      body: { fepVersion: "2.0.0", backlog: 1, clock: new Date().toISOString() },
    });
    expect(genuine.status).toBe(204);
    const row = await waitFor(
      () => rowOf(bd.id),
      (r) => r?.fepVersion === "2.0.0",
    );
    expect(row).toMatchObject({ fepVersion: "2.0.0", backlog: 1 });
  });
});

describe("a function's own key reaches only the tables its declaration grants (the DynamoDB emulator's IAM)", () => {
  const dynamo = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
    new DynamoDBClient({ endpoint: t.province.endpoints.dynamodb, credentials, maxAttempts: 1 });
  const tableName = (id: string) => t.province.resources.get("hub")!.tables.get(id)!;
  const refusal = (call: Promise<unknown>) =>
    call.then(
      () => "allowed",
      (error: Error) => error.name,
    );

  it("reads a table granted read, is refused a write to it, a table it was not granted, and a call on no table; the province's key passes", async () => {
    // a hub function granted one table read-only, and a hub table it was not granted
    const fn = HUB_DECLARATION.functions.find((f) => Object.values(f.tables ?? {}).includes("read"))!;
    const [readOnly] = Object.entries(fn.tables!).find(([, access]) => access === "read")!;
    const other = HUB_DECLARATION.tables.find((table) => !(table.id in fn.tables!))!.id;
    const identity = identityOf("hub", fn.id);
    const ddb = dynamo(identity);
    const key = { [HUB_DECLARATION.tables.find((x) => x.id === readOnly)!.partitionKey]: { S: "iam-probe" } };
    const sortKey = HUB_DECLARATION.tables.find((x) => x.id === readOnly)!.sortKey;
    if (sortKey) key[sortKey] = { S: "iam-probe" };

    expect(await refusal(ddb.send(new GetItemCommand({ TableName: tableName(readOnly), Key: key })))).toBe("allowed");
    const write = ddb.send(new PutItemCommand({ TableName: tableName(readOnly), Item: key }));
    await expect(write).rejects.toThrow(new RegExp(`${identity.userArn}.*dynamodb:PutItem.*${tableName(readOnly)}`));
    expect(await refusal(ddb.send(new PutItemCommand({ TableName: tableName(readOnly), Item: key })))).toBe("AccessDeniedException");
    expect(await refusal(ddb.send(new GetItemCommand({ TableName: tableName(other), Key: key })))).toBe("AccessDeniedException");
    expect(await refusal(ddb.send(new ListTablesCommand({})))).toBe("AccessDeniedException");
    ddb.destroy();

    // nothing was written; the province's own key (its seeding, schedules, operators' commands) is the administrator's
    const admin = dynamo(LOCAL_CREDENTIALS);
    expect((await admin.send(new GetItemCommand({ TableName: tableName(readOnly), Key: key, ConsistentRead: true }))).Item).toBeUndefined();
    expect((await admin.send(new ListTablesCommand({}))).TableNames).toContain(tableName(other));
    admin.destroy();
  });

  it("is the key each function's calls are signed with: the writes of a heartbeat at its city are FepHeartbeat's", async () => {
    const writes: DynamoWrite[] = [];
    const stop = t.province.watchDynamoWrites((w) => writes.push(w));
    const sent = await call(`${t.province.url}/cities/baoding/fep/heartbeat`, {
      token: hospitalOf("baoding").credential,
      body: { fepVersion: "1.0.0", backlog: 0, clock: new Date().toISOString() },
    });
    stop();
    expect(sent.status).toBe(204);
    const own = identityOf("baoding", "FepHeartbeat").accessKeyId;
    expect(writes.filter((w) => w.accessKeyId === own).length).toBeGreaterThanOrEqual(1);
  });
});

describe("a function's own key reaches only the queues its declaration grants (the SQS emulator's IAM)", () => {
  const queueUrl = (nodeId: string, queueId: string) => t.province.resources.get(nodeId)!.queues.get(queueId)!.url;
  const sqsAs = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
    new SQSClient({ endpoint: t.province.endpoints.sqs, credentials, maxAttempts: 1 });
  const probe = (n: number) => JSON.stringify({ probe: "iam", n });

  it("sends where its declaration sends, and may neither send elsewhere nor receive, count or purge; the province's key passes", async () => {
    // FepHeartbeat sends to the hub's Exchange and Audit queues (send-hub-exchange, send-hub-audit) and nothing else
    const identity = identityOf("baoding", "FepHeartbeat");
    const sqs = sqsAs(identity);
    const exchange = queueUrl("hub", "Exchange");
    const admin = sqsAs(LOCAL_CREDENTIALS);
    const depth = async (url: string) =>
      Number(
        (await admin.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] }))).Attributes!
          .ApproximateNumberOfMessages,
      );
    // the city's own push queue is the hub's to fill: a probe there stays unread by any consumer that would apply it
    const push = queueUrl("baoding", "Push");
    const pushBefore = await depth(push);

    const refused = sqs.send(new SendMessageCommand({ QueueUrl: push, MessageBody: probe(1) }));
    await expect(refused).rejects.toThrow(new RegExp(`${identity.userArn}.*sqs:SendMessage.*${push.split("/").pop()}`));
    expect(await outcome(sqs.send(new SendMessageBatchCommand({ QueueUrl: push, Entries: [{ Id: "a", MessageBody: probe(2) }] })))).toBe(
      "AccessDenied 403",
    );
    expect(
      await outcome(
        sqs.send(new SendMessageCommand({ QueueUrl: queueUrl("hub", "Settlement"), MessageBody: probe(3), MessageGroupId: "g" })),
      ),
    ).toBe("AccessDenied 403");
    const unlisted: [string, () => Promise<unknown>][] = [
      ["ReceiveMessage", () => sqs.send(new ReceiveMessageCommand({ QueueUrl: exchange, WaitTimeSeconds: 0 }))],
      ["GetQueueAttributes", () => sqs.send(new GetQueueAttributesCommand({ QueueUrl: exchange, AttributeNames: ["All"] }))],
      ["GetQueueUrl", () => sqs.send(new GetQueueUrlCommand({ QueueName: exchange.split("/").pop()! }))],
      ["PurgeQueue", () => sqs.send(new PurgeQueueCommand({ QueueUrl: exchange }))],
      ["ListQueues", () => sqs.send(new ListQueuesCommand({}))],
    ];
    for (const [name, send] of unlisted) expect(await outcome(send()), name).toBe("AccessDenied 403");
    expect(await depth(push)).toBe(pushBefore);

    // what it is granted: a send to the hub's Exchange queue (a probe the hub's consumer refuses as of no known type)
    expect(await outcome(sqs.send(new SendMessageCommand({ QueueUrl: exchange, MessageBody: "not a message" })))).toBe("allowed");
    sqs.destroy();

    // the operations summary counts every queue (observe-queues) but receives none
    const observer = sqsAs(identityOf("hub", "OpsSummary"));
    expect(
      await outcome(observer.send(new GetQueueAttributesCommand({ QueueUrl: push, AttributeNames: ["ApproximateNumberOfMessages"] }))),
    ).toBe("allowed");
    expect(await outcome(observer.send(new ReceiveMessageCommand({ QueueUrl: push, WaitTimeSeconds: 0 })))).toBe("AccessDenied 403");
    observer.destroy();
    expect((await admin.send(new ListQueuesCommand({}))).QueueUrls).toContain(push);
    admin.destroy();
  });

  it("is the key each function's sends are signed with: a heartbeat's forward to the hub is FepHeartbeat's", async () => {
    const calls: SqsCall[] = [];
    const stop = t.province.watchSqsCalls((c) => calls.push(c));
    const sent = await call(`${t.province.url}/cities/baoding/fep/heartbeat`, {
      token: hospitalOf("baoding", 1).credential,
      body: { fepVersion: "1.0.1", backlog: 0, clock: new Date().toISOString() },
    });
    stop();
    expect(sent.status).toBe(204);
    const own = identityOf("baoding", "FepHeartbeat").accessKeyId;
    expect(calls).toContainEqual({ accessKeyId: own, operation: "SendMessage", queue: queueUrl("hub", "Exchange").split("/").pop() });
  });
});

describe("a function's own key reaches only the buckets its declaration grants (the S3 emulator's IAM)", () => {
  const bucketOf = (nodeId: string) => t.province.resources.get(nodeId)!.buckets.get("Documents")!;
  const s3As = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
    new S3Client({
      endpoint: t.province.endpoints.s3,
      region: "cn-north-1",
      forcePathStyle: true,
      credentials,
      maxAttempts: 1,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  const probeKey = "incoming/iam-probe";

  it("reads, writes and lists as its grant allows, never deletes, never another city's bucket; the province's key passes", async () => {
    const own = bucketOf("baoding");
    const other = bucketOf("tangshan");
    const admin = s3As(LOCAL_CREDENTIALS);
    await admin.send(new PutObjectCommand({ Bucket: own, Key: probeKey, Body: "probe" }));
    await admin.send(new PutObjectCommand({ Bucket: other, Key: probeKey, Body: "probe" }));

    // DocumentQuery reads its city's documents (Documents: read)
    const reader = identityOf("baoding", "DocumentQuery");
    const query = s3As(reader);
    expect(await outcome(query.send(new GetObjectCommand({ Bucket: own, Key: probeKey })))).toBe("allowed");
    const write = query.send(new PutObjectCommand({ Bucket: own, Key: probeKey, Body: "changed" }));
    await expect(write).rejects.toThrow(new RegExp(`${reader.userArn}.*s3:PutObject.*${own}`));
    expect(await outcome(query.send(new ListObjectsV2Command({ Bucket: own })))).toBe("AccessDenied 403");
    expect(await outcome(query.send(new GetObjectCommand({ Bucket: other, Key: probeKey })))).toBe("AccessDenied 403");
    query.destroy();

    // DocumentPublish writes them (Documents: readWrite): puts, copies and lists, but deletes nothing
    const publish = s3As(identityOf("baoding", "DocumentPublish"));
    expect(await outcome(publish.send(new PutObjectCommand({ Bucket: own, Key: `${probeKey}-2`, Body: "probe" })))).toBe("allowed");
    expect(
      await outcome(publish.send(new CopyObjectCommand({ Bucket: own, Key: `${probeKey}-3`, CopySource: `${own}/${probeKey}` }))),
    ).toBe("allowed");
    expect(
      await outcome(publish.send(new CopyObjectCommand({ Bucket: own, Key: `${probeKey}-4`, CopySource: `${other}/${probeKey}` }))),
    ).toBe("AccessDenied 403");
    expect(await outcome(publish.send(new ListObjectsV2Command({ Bucket: own, Prefix: probeKey })))).toBe("allowed");
    expect(await outcome(publish.send(new DeleteObjectCommand({ Bucket: own, Key: probeKey })))).toBe("AccessDenied 403");
    expect(await outcome(publish.send(new PutObjectCommand({ Bucket: other, Key: probeKey, Body: "x" })))).toBe("AccessDenied 403");
    publish.destroy();

    // a function granted no bucket reaches none; the province's key (the lifecycle sweeper, operators) does
    expect(await outcome(s3As(identityOf("baoding", "FepHeartbeat")).send(new GetObjectCommand({ Bucket: own, Key: probeKey })))).toBe(
      "AccessDenied 403",
    );
    expect((await admin.send(new GetObjectCommand({ Bucket: own, Key: probeKey }))).$metadata.httpStatusCode).toBe(200);
    expect(await outcome(admin.send(new GetObjectCommand({ Bucket: other, Key: `${probeKey}-4` })))).toBe("NoSuchKey 404");
    admin.destroy();
  });

  it("is the key a function presigns with: an upload URL carries DocumentPublish's", async () => {
    const hospital = t.credentials.hospitals.find((h) => h.cityId === "baoding" && h.practitioners.length > 0)!;
    const issued = await call(`${t.province.url}/cities/baoding/fhir/Binary/$upload-url`, {
      token: hospital.credential,
      headers: { "x-practitioner-id": hospital.practitioners[0]! },
      body: { contentType: "application/pdf", size: 10 },
    });
    expect(issued.status, JSON.stringify(issued.json)).toBe(201);
    const credential = (issued.json as { fields: Record<string, string> }).fields["X-Amz-Credential"];
    expect(credential?.split("/")[0]).toBe(identityOf("baoding", "DocumentPublish").accessKeyId);
  });
});
