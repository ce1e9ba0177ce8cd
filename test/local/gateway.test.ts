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

describe("local gateway: a URL with raw Chinese characters", () => {
  it("answers a FHIR 400 saying to percent-encode it", async () => {
    const { connect } = await import("node:net");
    const { port } = new URL(url);
    // fetch would encode the URL: send the raw bytes, as curl does
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () => {
        socket.write(Buffer.from("GET /cities/baoding/fhir/Organization?name=保定 HTTP/1.1\r\nHost: x\r\n\r\n", "utf8"));
      });
      let text = "";
      socket.setEncoding("utf8").on("data", (d: string) => {
        text += d;
      });
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    const body = JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4));
    expect(body).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code: "invalid" }] });
    expect(body.issue[0].diagnostics).toContain("percent-encoded");
  });
});

describe("local gateway: its own answers are FHIR, as API Gateway's gateway responses are", () => {
  it("answers a body over the 6 MB payload limit with a FHIR 413, nosniff", async () => {
    gateway.ready = true;
    try {
      const res = await fetch(`${url}/cities/baoding/fep/heartbeat`, {
        method: "POST",
        headers: { "content-type": "application/fhir+json" },
        body: Buffer.alloc(6 * 1024 * 1024 + 1, 0x20),
      });
      expect(res.status).toBe(413);
      expect(res.headers.get("content-type")).toBe("application/fhir+json");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(await res.json()).toMatchObject({ resourceType: "OperationOutcome", issue: [{ code: "too-costly" }] });
    } finally {
      gateway.ready = false;
    }
  });
});
