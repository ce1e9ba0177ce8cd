/** The HTTP edge (lambdas/shared/http.ts): path ids are checked before any use case sees them. */
import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { httpRouter } from "#shared/http.ts";

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
