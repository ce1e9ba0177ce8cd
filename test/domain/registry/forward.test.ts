/** The city's registry proxy use case: what it sends to the hub, and what of the answer it relays. */
import { describe, expect, it } from "vitest";
import type { HubAnswer, HubForwarder } from "#ports/hub.ts";
import { forwardRegistryRequest, type RegistryRequest } from "#use-cases/registry/forward.ts";

const request: RegistryRequest = {
  method: "GET",
  path: "/fhir/Organization/bd001",
  query: { _elements: ["name"] },
  headers: { "x-hhc-hospital": "ts001", "content-type": "application/fhir+json", cookie: "x" },
  rawBody: undefined,
};

function hubAnswering(answer: HubAnswer) {
  const sent: { method: string; path: string; headers: Record<string, string> }[] = [];
  const hub: HubForwarder = {
    forward: async (method, path, headers) => {
      sent.push({ method, path, headers });
      return answer;
    },
  };
  return { hub, sent };
}

describe("forwardRegistryRequest", () => {
  it("forwards a read without the body it was sent (fetch refuses a GET with one: was a 500, found by the fuzzing)", async () => {
    const bodies: (string | undefined)[] = [];
    const hub: HubForwarder = {
      forward: async (_method, _path, _headers, body) => {
        bodies.push(body);
        return { status: 200, contentType: "application/fhir+json", body: JSON.stringify({ resourceType: "Bundle" }) };
      },
    };
    await forwardRegistryRequest(hub, "bd002", { ...request, rawBody: '{"x":1}' });
    await forwardRegistryRequest(hub, "bd002", { ...request, method: "POST", path: "/fhir/Practitioner", rawBody: '{"x":1}' });
    expect(bodies).toEqual([undefined, '{"x":1}']);
  });

  it("names the admitted hospital (not one the caller sent) and forwards only the known headers", async () => {
    const { hub, sent } = hubAnswering({
      status: 200,
      contentType: "application/fhir+json",
      body: JSON.stringify({ resourceType: "Organization", id: "bd001" }),
    });
    const answer = await forwardRegistryRequest(hub, "bd002", request);
    expect(answer).toEqual({ statusCode: 200, body: { resourceType: "Organization", id: "bd001" } });
    expect(sent).toEqual([
      {
        method: "GET",
        path: "/fhir/Organization/bd001?_elements=name",
        headers: { accept: "application/fhir+json", "x-hhc-hospital": "bd002", "content-type": "application/fhir+json" },
      },
    ]);
  });

  it.each([
    ["not JSON", "<html>gateway error</html>"],
    ["JSON that is no FHIR resource", JSON.stringify({ message: "Internal server error" })],
    ["a JSON array", "[]"],
  ])("refuses to relay an answer that is %s: 502", async (_what, body) => {
    const { hub } = hubAnswering({ status: 200, contentType: "text/html", body });
    await expect(forwardRegistryRequest(hub, "bd002", request)).rejects.toMatchObject({ kind: "upstream" });
  });
});
