/** The HTTP edge (lambdas/shared/http.ts): path ids are checked before any use case sees them; a timeout is a 504. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { afterAll, describe, expect, it, vi } from "vitest";
import { httpRouter } from "#shared/http.ts";
import { signedRequest } from "#shared/signed-fetch.ts";

const context = { functionName: "test", awsRequestId: "r1", getRemainingTimeInMillis: () => 1000 } as unknown as Context;

const event = (id: string): APIGatewayProxyEvent =>
  ({
    httpMethod: "GET",
    resource: "/fhir/DocumentReference/{id}",
    path: `/fhir/DocumentReference/${id}`,
    pathParameters: { id },
    headers: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: "r1" },
  }) as unknown as APIGatewayProxyEvent;

describe("path ids", () => {
  const seen: string[] = [];
  const handler = httpRouter({
    "GET /fhir/DocumentReference/{id}": async (request) => {
      seen.push(request.pathParameters.id!);
      return { statusCode: 200, body: { resourceType: "DocumentReference", id: request.pathParameters.id } };
    },
  });

  it.each(["../Binary/x", "a b", "x".repeat(65), "名字", "id%00", ""])(
    "refuses %j with a 400 naming the parameter, before the use case",
    async (id) => {
      const res = await handler(event(id), context);
      expect(res.statusCode).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code: "invalid", expression: ["id"] }] });
    },
  );

  it("passes a FHIR id through", async () => {
    seen.length = 0;
    const res = await handler(event("doc-1.v2"), context);
    expect(res.statusCode).toBe(200);
    expect(seen).toEqual(["doc-1.v2"]);
  });
});

describe("the request's path", () => {
  it("is the declared route with its checked ids, not the raw path as sent", async () => {
    let path = "";
    const handler = httpRouter({
      "GET /fhir/DocumentReference/{id}": async (request) => {
        path = request.path;
        return { statusCode: 204 };
      },
    });
    // a raw path that differs from what API Gateway matched (encoded separators, a stage prefix)
    await handler({ ...event("d1"), path: "/prod/fhir/DocumentReference/d1%2F..%2F..%2Finternal" }, context);
    expect(path).toBe("/fhir/DocumentReference/d1");
  });
});

describe("a path with a trailing slash (docs/fhir-clients.md#trailing-slashes)", () => {
  it("is served by its declared route: API Gateway's REST API matches /fhir/ to resource /fhir and the router keys on the resource", async () => {
    const handler = httpRouter({
      "POST /fhir": async (request) => ({ statusCode: 200, body: { route: request.route, path: request.path } }),
    });
    const res = await handler({ ...event("x"), httpMethod: "POST", resource: "/fhir", path: "/fhir/", pathParameters: null }, context);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ route: "/fhir", path: "/fhir" });
  });
});

describe("formats: the nodes speak JSON", () => {
  const queries: Record<string, string[]>[] = [];
  const handler = httpRouter({
    "GET /fhir/DocumentReference/{id}": async (request) => {
      queries.push(request.query);
      return { statusCode: 200, body: { resourceType: "DocumentReference", id: request.pathParameters.id } };
    },
  });
  const withQuery = (query: Record<string, string[]>, headers: Record<string, string> = {}): APIGatewayProxyEvent => ({
    ...event("d1"),
    headers,
    multiValueQueryStringParameters: query,
    queryStringParameters: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v.at(-1)!])),
  });

  it.each([
    ["Accept: application/fhir+json", {}, { Accept: "application/fhir+json" }],
    ["Accept: application/json", {}, { accept: "application/json" }],
    ["Accept: */*", {}, { accept: "*/*" }],
    ["Accept: XML or JSON", {}, { accept: "application/fhir+xml;q=0.9, application/fhir+json" }],
    ["_format=json", { _format: ["json"] }, {}],
    ["_format=application/fhir+json", { _format: ["application/fhir+json"] }, { accept: "application/fhir+xml" }],
  ])("%s is served, and no route sees _format", async (_, query, headers) => {
    queries.length = 0;
    const res = await handler(withQuery(query, headers), context);
    expect(res.statusCode).toBe(200);
    expect(res.headers?.["content-type"]).toBe("application/fhir+json");
    expect(queries).toEqual([{}]);
  });

  it.each([
    ["Accept: application/fhir+xml", {}, { Accept: "application/fhir+xml" }, "Accept"],
    ["Accept: application/xml, text/xml", {}, { accept: "application/xml, text/xml" }, "Accept"],
    ["_format=xml", { _format: ["xml"] }, {}, "_format"],
    ["_format=application/fhir+xml", { _format: ["application/fhir+xml"] }, {}, "_format"],
    ["_format=html", { _format: ["html"] }, {}, "_format"],
  ])("%s is a 406 OperationOutcome saying the nodes speak JSON", async (_, query, headers, field) => {
    queries.length = 0;
    const res = await handler(withQuery(query, headers), context);
    expect(res.statusCode).toBe(406);
    expect(res.headers?.["content-type"]).toBe("application/fhir+json");
    const outcome = JSON.parse(res.body);
    expect(outcome).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code: "not-supported", expression: [field] }] });
    expect(outcome.issue[0].diagnostics).toContain("JSON");
    expect(queries).toEqual([]);
  });
});

describe("a request that runs out of time, or whose call to another node does", () => {
  afterAll(() => vi.unstubAllEnvs());
  it("answers 504 naming the timeout, never a bare 500: the function's own time (middy's early timeout)", async () => {
    const handler = httpRouter({
      "GET /fhir/DocumentReference/{id}": async () => {
        throw Object.assign(new Error("[AbortError]: The operation was aborted."), { name: "TimeoutError" });
      },
    });
    const res = await handler(event("x1"), context);
    expect(res.statusCode).toBe(504);
    expect(JSON.parse(res.body)).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code: "timeout" }] });
  });

  it("answers 504 when the other node does not answer in time, 502 when it cannot be reached", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDLOCAL");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "local");
    vi.stubEnv("AWS_REGION", "cn-north-1");
    const silent = createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as AddressInfo).port;
    const handler = (url: string) =>
      httpRouter({
        "GET /fhir/DocumentReference/{id}": async () => ({ statusCode: 200, body: await signedRequest("GET", url, {}, undefined, 200) }),
      });
    try {
      const late = await handler(`http://127.0.0.1:${port}/x`)(event("x1"), context);
      expect(late.statusCode).toBe(504);
      expect(JSON.parse(late.body).issue[0]).toMatchObject({ code: "timeout", diagnostics: expect.stringContaining("may have applied") });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
    const gone = await handler(`http://127.0.0.1:${port}/x`)(event("x1"), context);
    expect(gone.statusCode).toBe(502);
    expect(JSON.parse(gone.body).issue[0]).toMatchObject({ code: "transient" });
  });
});
