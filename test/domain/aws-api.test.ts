/**
 * lambdas/shared/aws-api.ts sends the requests the AWS SDK's clients send (SSM: AWS JSON 1.1; API
 * Gateway: REST JSON), reads their answers and errors as the SDK does, retries as it does, and goes to
 * the same endpoints: each operation is sent both ways to one recording server and compared.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  GetApiKeysCommand,
  UpdateApiKeyCommand,
} from "@aws-sdk/client-api-gateway";
import { GetParameterCommand, GetParametersByPathCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { API_GATEWAY, apiGatewayKeysApi, endpoint, parameterStore, SSM } from "#shared/aws-api.ts";

interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}
type Answer = { status: number; headers?: Record<string, string>; body: unknown };

let server: Server;
let url: string;
let recorded: Recorded[] = [];
let answers: Answer[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const target = new URL(req.url!, "http://x");
      const text = Buffer.concat(chunks).toString("utf8");
      recorded.push({
        method: req.method!,
        path: target.pathname,
        query: Object.fromEntries(target.searchParams),
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      });
      const answer = answers.shift() ?? { status: 200, body: {} };
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(process.env, {
    AWS_REGION: "cn-north-1",
    AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
    AWS_SECRET_ACCESS_KEY: "secret",
    AWS_ENDPOINT_URL_SSM: url,
    AWS_ENDPOINT_URL_API_GATEWAY: url,
  });
  delete process.env.AWS_SESSION_TOKEN;
});
afterAll(async () => {
  process.env = saved;
  await new Promise((resolve) => server.close(resolve));
});
afterEach(() => {
  recorded = [];
  answers = [];
});

/** What both must agree on: the operation as sent, and the service and region it is signed for */
const essence = (r: Recorded) => ({
  method: r.method,
  path: r.path,
  query: r.query,
  contentType: r.headers["content-type"],
  target: r.headers["x-amz-target"],
  accept: r.headers.accept,
  length: r.headers["content-length"],
  chunked: r.headers["transfer-encoding"],
  body: r.body,
  scope: String(r.headers.authorization).match(/Credential=AKIDEXAMPLE\/\d{8}\/([^,]+),/)?.[1],
});

/** Sends an operation the SDK's way then aws-api.ts's way, each answered `answer`; returns both results and requests */
async function both<T>(answer: Answer, sdk: () => Promise<T>, light: () => Promise<T>) {
  const outcome = (p: Promise<T>) =>
    p.then(
      (value) => ({ value }),
      (error: Error) => ({ error: error.name }),
    );
  recorded = [];
  answers = [answer];
  const sdkOut = await outcome(sdk());
  const sdkRequests = recorded.map(essence);
  recorded = [];
  answers = [answer];
  const lightOut = await outcome(light());
  return { sdkOut, lightOut, sdkRequests, lightRequests: recorded.map(essence) };
}

// the SDK's clients as the functions built them, from the environment set above
let ssm: SSMClient;
let apigw: APIGatewayClient;
beforeAll(() => {
  ssm = new SSMClient({});
  apigw = new APIGatewayClient({});
});

describe("SSM Parameter Store (AWS JSON 1.1)", () => {
  test("GetParameter: the same request, the same value", async () => {
    const r = await both(
      { status: 200, body: { Parameter: { Name: "/hhc/a", Value: "v1", Type: "String", Version: 3 } } },
      () => ssm.send(new GetParameterCommand({ Name: "/hhc/a" })).then((o) => o.Parameter?.Value),
      () => parameterStore.getParameter({ Name: "/hhc/a" }).then((o) => o.Parameter?.Value),
    );
    expect(r.lightRequests).toEqual(r.sdkRequests);
    expect(r.sdkRequests[0]).toMatchObject({ target: "AmazonSSM.GetParameter", scope: "cn-north-1/ssm/aws4_request" });
    expect(r.lightOut).toEqual({ value: "v1" });
    expect(r.sdkOut).toEqual(r.lightOut);
  });

  test("GetParametersByPath with a NextToken: the same request, the same page", async () => {
    const page = { Parameters: [{ Name: "/hhc/cities/x/profile", Value: "{}" }], NextToken: "10" };
    const r = await both(
      { status: 200, body: page },
      () =>
        ssm
          .send(new GetParametersByPathCommand({ Path: "/hhc/cities", Recursive: true, NextToken: "0" }))
          .then((o) => ({ names: o.Parameters?.map((p) => [p.Name, p.Value]), next: o.NextToken })),
      () =>
        parameterStore
          .getParametersByPath({ Path: "/hhc/cities", Recursive: true, NextToken: "0" })
          .then((o) => ({ names: o.Parameters?.map((p) => [p.Name, p.Value]), next: o.NextToken })),
    );
    expect(r.lightRequests).toEqual(r.sdkRequests);
    expect(r.lightOut).toEqual({ value: { names: [["/hhc/cities/x/profile", "{}"]], next: "10" } });
    expect(r.sdkOut).toEqual(r.lightOut);
  });

  test("GetParametersByPath without a NextToken leaves it out, as the SDK does", async () => {
    const r = await both(
      { status: 200, body: { Parameters: [] } },
      () => ssm.send(new GetParametersByPathCommand({ Path: "/p", Recursive: true, NextToken: undefined })).then(() => 0),
      () => parameterStore.getParametersByPath({ Path: "/p", Recursive: true, NextToken: undefined }).then(() => 0),
    );
    expect(r.lightRequests).toEqual(r.sdkRequests);
    expect(r.lightRequests[0]!.body).toEqual({ Path: "/p", Recursive: true });
  });

  test("PutParameter: the same request", async () => {
    const input = { Name: "/hhc/k", Value: '{"a":1}', Type: "String" as const, Overwrite: true };
    const r = await both(
      { status: 200, body: { Version: 2, Tier: "Standard" } },
      () => ssm.send(new PutParameterCommand(input)).then((o) => o.Version),
      () => parameterStore.putParameter(input).then((o) => o.Version),
    );
    expect(r.lightRequests).toEqual(r.sdkRequests);
    expect(r.lightOut).toEqual({ value: 2 });
    expect(r.sdkOut).toEqual(r.lightOut);
  });

  test("an error answer is thrown under the SDK's name, and a client error is not retried", async () => {
    const r = await both(
      { status: 400, body: { __type: "ParameterNotFound", message: "Parameter /x not found." } },
      () => ssm.send(new GetParameterCommand({ Name: "/x" })),
      () => parameterStore.getParameter({ Name: "/x" }),
    );
    expect(r.lightOut).toEqual({ error: "ParameterNotFound" });
    expect(r.sdkOut).toEqual(r.lightOut);
    expect(r.lightRequests).toHaveLength(1);
    expect(r.sdkRequests).toHaveLength(1);
  });

  test("a namespaced error type is named as the SDK names it", async () => {
    const r = await both(
      { status: 400, body: { __type: "com.amazonaws.ssm#ParameterNotFound", message: "no" } },
      () => ssm.send(new GetParameterCommand({ Name: "/x" })),
      () => parameterStore.getParameter({ Name: "/x" }),
    );
    expect(r.lightOut).toEqual({ error: "ParameterNotFound" });
    expect(r.sdkOut).toEqual(r.lightOut);
  });

  test("throttling and 5xx answers are retried, up to 3 attempts in all", async () => {
    const throttled = { status: 400, body: { __type: "ThrottlingException", message: "Rate exceeded" } };
    answers = [throttled, { status: 503, body: {} }, { status: 200, body: { Parameter: { Name: "/a", Value: "ok" } } }];
    expect((await parameterStore.getParameter({ Name: "/a" })).Parameter?.Value).toBe("ok");
    expect(recorded).toHaveLength(3);
    recorded = [];
    answers = [throttled, throttled, throttled, { status: 200, body: {} }];
    await expect(parameterStore.getParameter({ Name: "/a" })).rejects.toMatchObject({ name: "ThrottlingException" });
    expect(recorded).toHaveLength(3);
  });
});

describe("API Gateway's API keys (REST JSON)", () => {
  test("GetApiKeys: the same request, the same keys (the wire's `item` read as `items`)", async () => {
    const item = [{ id: "k1", name: "hhc-bd001", enabled: false }];
    const r = await both(
      { status: 200, body: { item } },
      () => apigw.send(new GetApiKeysCommand({ nameQuery: "hhc-bd001", includeValues: false, limit: 500 })).then((o) => o.items),
      () => apiGatewayKeysApi.getApiKeys({ nameQuery: "hhc-bd001", includeValues: false, limit: 500 }).then((o) => o.items),
    );
    expect(r.lightRequests).toEqual(r.sdkRequests);
    expect(r.sdkRequests[0]).toMatchObject({ method: "GET", path: "/apikeys", scope: "cn-north-1/apigateway/aws4_request" });
    expect(r.lightOut).toEqual({ value: item });
    expect(r.sdkOut).toEqual(r.lightOut);
  });

  test("CreateApiKey, UpdateApiKey, CreateUsagePlanKey: the same requests", async () => {
    const create = { name: "hhc-bd001", value: "v".repeat(40), enabled: true, description: "Hospital bd001 (baoding)" };
    const created = await both(
      { status: 201, body: { id: "k9", name: "hhc-bd001", enabled: true } },
      () => apigw.send(new CreateApiKeyCommand(create)).then((o) => o.id),
      () => apiGatewayKeysApi.createApiKey(create).then((o) => o.id),
    );
    expect(created.lightRequests).toEqual(created.sdkRequests);
    expect(created.lightOut).toEqual({ value: "k9" });
    expect(created.sdkOut).toEqual(created.lightOut);

    const patch = { apiKey: "k 9/x", patchOperations: [{ op: "replace" as const, path: "/enabled", value: "false" }] };
    const updated = await both(
      { status: 200, body: { id: "k 9/x" } },
      () => apigw.send(new UpdateApiKeyCommand(patch)).then(() => "ok"),
      () => apiGatewayKeysApi.updateApiKey(patch).then(() => "ok"),
    );
    expect(updated.lightRequests).toEqual(updated.sdkRequests);
    expect(updated.lightRequests[0]).toMatchObject({ method: "PATCH", path: "/apikeys/k%209%2Fx" });

    const planKey = { usagePlanId: "up1", keyId: "k9", keyType: "API_KEY" as const };
    const added = await both(
      { status: 201, body: { id: "k9", type: "API_KEY" } },
      () => apigw.send(new CreateUsagePlanKeyCommand(planKey)).then(() => "ok"),
      () => apiGatewayKeysApi.createUsagePlanKey(planKey).then(() => "ok"),
    );
    expect(added.lightRequests).toEqual(added.sdkRequests);
  });

  test("a conflict (the key already in the plan) is a ConflictException, as the SDK names it", async () => {
    const r = await both(
      {
        status: 409,
        headers: { "x-amzn-errortype": "ConflictException:http://internal.amazon.com/coral/com.amazonaws.backplane.controlplane/" },
        body: { message: "Usage Plan up1 cannot be added because API Key k9 cannot reference Usage Plan up1" },
      },
      () => apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: "up1", keyId: "k9", keyType: "API_KEY" })),
      () => apiGatewayKeysApi.createUsagePlanKey({ usagePlanId: "up1", keyId: "k9", keyType: "API_KEY" }),
    );
    expect(r.lightOut).toEqual({ error: "ConflictException" });
    expect(r.sdkOut).toEqual(r.lightOut);
  });
});

describe("endpoints in AWS (no AWS_ENDPOINT_URL_*)", () => {
  /** The host each way goes to (the SDK's as its request handler receives it, without sending) */
  async function hosts(region: string) {
    process.env.AWS_REGION = region;
    delete process.env.AWS_ENDPOINT_URL_SSM;
    delete process.env.AWS_ENDPOINT_URL_API_GATEWAY;
    try {
      const seen: string[] = [];
      const requestHandler = {
        handle: async (request: { hostname: string }) => {
          seen.push(request.hostname);
          const body = Readable.from([Buffer.from("{}")]);
          return { response: { statusCode: 200, headers: { "content-type": "application/json" }, body } };
        },
      };
      await new SSMClient({ region, requestHandler }).send(new GetParametersByPathCommand({ Path: "/p" }));
      await new APIGatewayClient({ region, requestHandler }).send(new GetApiKeysCommand({}));
      seen.push(new URL(endpoint(SSM)).hostname, new URL(endpoint(API_GATEWAY)).hostname);
      return { sdk: seen.slice(0, 2), light: seen.slice(2) };
    } finally {
      Object.assign(process.env, { AWS_REGION: "cn-north-1", AWS_ENDPOINT_URL_SSM: url, AWS_ENDPOINT_URL_API_GATEWAY: url });
    }
  }

  test.each(["cn-north-1", "cn-northwest-1", "ap-southeast-1"])("%s: the SDK's hosts", async (region) => {
    const { sdk, light } = await hosts(region);
    expect(light).toEqual(sdk);
    expect(sdk[0]).toMatch(new RegExp(`^ssm\\.${region}\\.amazonaws\\.com`));
  });
});
