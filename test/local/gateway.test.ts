/** The local gateway before the province is ready, and its own answers for unknown routes. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CITY_DECLARATION } from "#lib/declaration/city.ts";
import { LocalGateway } from "#local/gateway.ts";

let gateway: LocalGateway;
let url: string;
beforeAll(async () => {
  // no functions are needed: nothing is invoked before the node is ready or for unknown routes
  gateway = new LocalGateway(
    [{ nodeId: "baoding", prefix: "/cities/baoding", apis: CITY_DECLARATION.apis, functions: new Map() }],
    () => undefined,
  );
  url = await gateway.listen(0);
});
afterAll(async () => gateway.close());

describe("local gateway", () => {
  it("answers 503 on /health until the node is ready (seeded, credentials written)", async () => {
    const res = await fetch(`${url}/cities/baoding/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code: "transient" }] });
  });

  it.each(["/cities/baoding/nope", "/cities/atlantis/health", "/elsewhere"])(
    "answers 404 with an OperationOutcome for %s",
    async (path) => {
      const res = await fetch(`${url}${path}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code: "not-found" }] });
    },
  );

  it("answers 404 for a declared path with an undeclared method", async () => {
    const res = await fetch(`${url}/cities/baoding/fep/heartbeat`, { method: "GET" });
    expect(res.status).toBe(404);
  });
});
