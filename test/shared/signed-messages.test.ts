/**
 * The checks a queue consumer makes before applying a message (lambdas/shared/sqs.ts,
 * lambdas/shared/message-signing.ts; docs/node-identity.md), against a recording stand-in for SSM and
 * STS: in AWS the SQS SenderId must be a sending role of the city the message names (a re-driven
 * message: not another city's); the hospitals a message names must be that city's; a settlement
 * message must carry the Ed25519 signature of its sender, whose public key the insurance platform in
 * another account reads from the hub's key directory through the role it assumes there.
 */
import { createHmac, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { senderIdRefusal } from "#schemas/node-identity.ts";

const ASSUMED_KEY = "ASIAKEYDIRECTORY";
const ROLE = "arn:aws-cn:iam::111111111111:role/hhc/hub/hhc-insurance-key-directory";
const baodingHmac = randomBytes(32);
const baodingPair = generateKeyPairSync("ed25519");

/** The stand-in's parameters; those of the key directory answer only the assumed role's key */
const parameters = new Map<string, string>([
  ["/hhc/keys/city/baoding", baodingHmac.toString("base64")],
  ["/hhc/cities/baoding/profile", JSON.stringify({ id: "baoding", nameZh: "保定", adminCode: "1306" })],
  ["/hhc/cities/tangshan/profile", JSON.stringify({ id: "tangshan", nameZh: "唐山", adminCode: "1302" })],
  ["/hhc/cities/baoding/sender-role-ids", "AROABAODINGFEED,AROABAODINGSWEEP"],
  ["/hhc/cities/tangshan/sender-role-ids", "AROATANGSHANFEED"],
  ["/hhc/keys/public/city/baoding", baodingPair.publicKey.export({ type: "spki", format: "der" }).toString("base64")],
]);
let calls: { service: string; action: string; accessKey: string }[] = [];

let server: Server;
const saved = { ...process.env };
let recordApplier: typeof import("#shared/sqs.ts").recordApplier;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const accessKey = /Credential=([^/]+)\//.exec(req.headers.authorization ?? "")?.[1] ?? "";
      if (String(req.headers["content-type"]).startsWith("application/x-www-form-urlencoded")) {
        const form = new URLSearchParams(text);
        calls.push({ service: "sts", action: String(form.get("Action")), accessKey });
        const ok = form.get("RoleArn") === ROLE;
        res.writeHead(ok ? 200 : 403, { "content-type": "text/xml" });
        res.end(
          ok
            ? `<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>${ASSUMED_KEY}</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2999-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult></AssumeRoleResponse>`
            : "<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>",
        );
        return;
      }
      const action = String(req.headers["x-amz-target"]).replace("AmazonSSM.", "");
      calls.push({ service: "ssm", action, accessKey });
      const input = JSON.parse(text) as { Name?: string; Path?: string };
      const answer = (status: number, body: unknown) =>
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
      if (action === "GetParametersByPath") {
        const found = [...parameters].filter(([name]) => name.startsWith(`${input.Path}/`)).map(([Name, Value]) => ({ Name, Value }));
        return answer(200, { Parameters: found });
      }
      const directory = input.Name!.includes("/keys/public/");
      if (directory && accessKey !== ASSUMED_KEY) return answer(400, { __type: "AccessDeniedException", message: "not this account's" });
      const value = parameters.get(input.Name!);
      if (value === undefined) return answer(400, { __type: "ParameterNotFound", message: input.Name });
      return answer(200, { Parameter: { Name: input.Name, Value: value } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(process.env, {
    AWS_REGION: "cn-north-1",
    AWS_ACCESS_KEY_ID: "AKIDINSURANCE",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_ENDPOINT_URL_SSM: url,
    AWS_ENDPOINT_URL_STS: url,
    HHC_SSM_PREFIX: "/hhc",
    HHC_NODE_ID: "hub",
    HHC_KEY_DIRECTORY_ROLE_ARN: ROLE,
  });
  delete process.env.AWS_SESSION_TOKEN;
  // message-signing.ts reads its node and the key directory's role at import
  ({ recordApplier } = await import("#shared/sqs.ts"));
});
afterAll(async () => {
  process.env = saved;
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  calls = [];
  delete process.env.HHC_CHECK_SENDER_ID;
});

const schema = z.object({ cityId: z.string(), hospitalId: z.string() });
type Message = z.infer<typeof schema>;

function record(body: string, attributes: Record<string, string>, senderId?: string): SQSRecord {
  return {
    messageId: "m-1",
    receiptHandle: "r",
    body,
    attributes: { SenderId: senderId } as SQSRecord["attributes"],
    messageAttributes: Object.fromEntries(
      Object.entries(attributes).map(([k, v]) => [k, { stringValue: v, dataType: "String", stringListValues: [], binaryListValues: [] }]),
    ),
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn",
    awsRegion: "cn-north-1",
  };
}
const hmacSigned = (body: string) => ({
  "hhc-node": "baoding",
  "hhc-signature": createHmac("sha256", baodingHmac).update(`baoding\nbaoding\n${body}`, "utf8").digest("base64"),
});
const ed25519Signed = (sender: string, body: string, key: KeyObject) => ({
  "hhc-node": sender,
  "hhc-signature-ed25519": sign(null, Buffer.from(`${sender}\n${body}`, "utf8"), key).toString("base64"),
});

/** The applier as the hub's exchange consumer uses it: HMAC under the named city's key, its hospitals from the registry */
function hubConsumer(cities: Record<string, string> = { "bd-1": "baoding", "ts-1": "tangshan" }) {
  const applied: Message[] = [];
  const apply = recordApplier(
    schema,
    async (m) => {
      applied.push(m);
    },
    (m) => ({ sender: m.cityId, keyNode: m.cityId, hospitals: [m.hospitalId] }),
    { hospitals: { cityOf: async (id) => cities[id] } },
  );
  return { applied, apply };
}
const heartbeat = (hospitalId = "bd-1") => JSON.stringify({ cityId: "baoding", hospitalId });

describe("senderIdRefusal", () => {
  const ids = ["AROABAODINGFEED", "AROABAODINGSWEEP"];
  it("accepts a role of the named city, whatever its session", () => {
    expect(
      senderIdRefusal({ senderId: "AROABAODINGSWEEP:hhc-city-baoding-OutboxSweeper", city: "baoding", cityRoleIds: ids, redriven: false }),
    ).toBeUndefined();
  });
  it("refuses another role, a missing SenderId, and a city without published roles", () => {
    expect(senderIdRefusal({ senderId: "AROATANGSHANFEED:x", city: "baoding", cityRoleIds: ids, redriven: false })).toContain(
      "AROATANGSHANFEED",
    );
    expect(senderIdRefusal({ senderId: undefined, city: "baoding", cityRoleIds: ids, redriven: false })).toContain("no SenderId");
    expect(senderIdRefusal({ senderId: "AROABAODINGFEED:x", city: "baoding", cityRoleIds: [], redriven: false })).toBeDefined();
  });
  it("accepts a re-driven message sent again by the operator, not one another city's role sent", () => {
    const other = ["AROATANGSHANFEED"];
    expect(
      senderIdRefusal({ senderId: "AROAOPERATOR:alice", city: "baoding", cityRoleIds: ids, redriven: true, otherRoleIds: other }),
    ).toBeUndefined();
    expect(
      senderIdRefusal({ senderId: "AROAOPERATOR:alice", city: "baoding", cityRoleIds: ids, redriven: false, otherRoleIds: other }),
    ).toBeDefined();
    expect(
      senderIdRefusal({ senderId: "AROATANGSHANFEED:x", city: "baoding", cityRoleIds: ids, redriven: true, otherRoleIds: other }),
    ).toBeDefined();
  });
});

describe("a consumer of the cities' queues", () => {
  it("in AWS applies a message naming Baoding only when SQS says one of Baoding's roles sent it", async () => {
    process.env.HHC_CHECK_SENDER_ID = "1";
    const { applied, apply } = hubConsumer();
    const body = heartbeat();
    await apply(record(body, hmacSigned(body), "AROABAODINGFEED:hhc-city-baoding-FepHeartbeat"));
    // signed with Baoding's key (leaked, say), but sent by Tangshan's role, or by no role of a city
    await expect(apply(record(body, hmacSigned(body), "AROATANGSHANFEED:hhc-city-tangshan-FepHeartbeat"))).rejects.toThrow(
      /AROATANGSHANFEED is no sending role of baoding/,
    );
    await expect(apply(record(body, hmacSigned(body), "AROAOPERATOR:alice"))).rejects.toThrow(/no sending role/);
    // re-driven by the operator: accepted; Tangshan's role marking it re-driven: not
    await apply(record(body, { ...hmacSigned(body), "hhc-redrives": "1" }, "AROAOPERATOR:alice"));
    await expect(apply(record(body, { ...hmacSigned(body), "hhc-redrives": "1" }, "AROATANGSHANFEED:x"))).rejects.toThrow(
      /no sending role/,
    );
    expect(applied).toHaveLength(2);
  });

  it("locally (the emulator reports one SenderId for all) leaves SenderId alone", async () => {
    const { applied, apply } = hubConsumer();
    const body = heartbeat();
    await apply(record(body, hmacSigned(body), "AROATANGSHANFEED:whatever"));
    expect(applied).toHaveLength(1);
    expect(calls.filter((c) => c.action === "GetParametersByPath")).toHaveLength(0);
  });

  it("refuses a message its city signed naming another city's hospital, or one the registry does not know", async () => {
    const { applied, apply } = hubConsumer();
    for (const hospitalId of ["ts-1", "nowhere"]) {
      const body = heartbeat(hospitalId);
      await expect(apply(record(body, hmacSigned(body)))).rejects.toThrow(hospitalId === "ts-1" ? /ts-1 of tangshan/ : /does not know/);
    }
    expect(applied).toHaveLength(0);
  });
});

describe("settlement messages (Ed25519), verified by an insurance platform in another account", () => {
  const adjudicator = () => {
    const applied: Message[] = [];
    const apply = recordApplier(
      schema,
      async (m) => {
        applied.push(m);
      },
      (m) => ({ sender: m.cityId, scheme: "ed25519" }),
    );
    return { applied, apply };
  };

  it("applies a claim its city signed, its public key read from the hub's key directory as the assumed role", async () => {
    const { applied, apply } = adjudicator();
    const body = heartbeat();
    await apply(record(body, ed25519Signed("baoding", body, baodingPair.privateKey)));
    expect(applied).toHaveLength(1);
    expect(calls).toContainEqual({ service: "sts", action: "AssumeRole", accessKey: "AKIDINSURANCE" });
    expect(calls).toContainEqual({ service: "ssm", action: "GetParameter", accessKey: ASSUMED_KEY });
  });

  it("refuses one under another key, an unsigned one, and one carrying only the HMAC the hub could make", async () => {
    const { applied, apply } = adjudicator();
    const body = heartbeat();
    await expect(apply(record(body, ed25519Signed("baoding", body, generateKeyPairSync("ed25519").privateKey)))).rejects.toThrow(
      /not baoding's/,
    );
    await expect(apply(record(body, {}))).rejects.toThrow(/unsigned/);
    await expect(apply(record(body, hmacSigned(body)))).rejects.toThrow(/no Ed25519 signature/);
    // a changed body under the genuine signature
    const signed = ed25519Signed("baoding", body, baodingPair.privateKey);
    await expect(apply(record(heartbeat("bd-2"), signed))).rejects.toThrow(/not baoding's/);
    expect(applied).toHaveLength(0);
  });
});
