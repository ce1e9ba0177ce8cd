/** The declaration's calls between nodes, and the role names the hub reads a calling city from (docs/node-identity.md). */
import { describe, expect, it } from "vitest";
import { CITY_DECLARATION, HUB_DECLARATION, INSURANCE_DECLARATION, type NodeDeclaration } from "#lib/declaration/index.ts";
import { nodeOfCaller, nodeRoleName } from "#schemas/node-identity.ts";

const iamRoutes = (declaration: NodeDeclaration) =>
  declaration.apis.flatMap((api) =>
    api.routes.filter((r) => (r.auth ?? api.defaultAuth).kind === "iam").map((r) => `${r.method} ${r.path}`),
  );

describe("declared calls", () => {
  const functions = [...HUB_DECLARATION.functions, ...CITY_DECLARATION.functions, ...INSURANCE_DECLARATION.functions];

  it("name only IAM routes the hub or the cities declare", () => {
    const known = new Set([...iamRoutes(HUB_DECLARATION), ...iamRoutes(CITY_DECLARATION)]);
    for (const f of functions) for (const c of f.calls ?? []) expect(known.has(c), `${f.id}: ${c}`).toBe(true);
  });

  it("are declared by exactly the functions that invoke an internal API", () => {
    for (const f of functions) {
      const invokes = f.discovery?.some((d) => d === "invoke-hub-internal-api" || d === "invoke-city-internal-api") ?? false;
      expect((f.calls ?? []).length > 0, f.id).toBe(invokes);
    }
  });

  it("name every hub internal route some city function calls (none is left to no caller)", () => {
    const called = new Set(CITY_DECLARATION.functions.flatMap((f) => f.calls ?? []));
    for (const route of iamRoutes(HUB_DECLARATION).filter((r) => r !== "GET /internal/fhir/Location/{id}")) {
      if (!called.has(route)) expect.soft(route, "a hub internal route no city function calls").toBe("called");
    }
  });
});

describe("role names", () => {
  it("name a city function's city and function; the hub reads them back from an assumed-role ARN", () => {
    const name = nodeRoleName("city", "shijiazhuang", "SubscriptionProxy");
    expect(name).toBe("hhc-city-shijiazhuang-SubscriptionProxy");
    expect(name.length).toBeLessThanOrEqual(64);
    expect(nodeOfCaller(`arn:aws-cn:sts::123456789012:assumed-role/${name}/whatever`, "123456789012")).toEqual({
      kind: "city",
      nodeId: "shijiazhuang",
      functionId: "SubscriptionProxy",
    });
  });

  it("are the longest a city id and function id allow within IAM's 64 characters", () => {
    const longest = Math.max(...CITY_DECLARATION.functions.map((f) => f.id.length));
    expect(nodeRoleName("city", "a".repeat(20), "F".repeat(longest)).length).toBeLessThanOrEqual(64);
  });

  it("name no node for another account's role, a user, or a role not named as a node's", () => {
    expect(nodeOfCaller("arn:aws-cn:sts::999999999999:assumed-role/hhc-city-baoding-Claims/x", "123456789012")).toBeUndefined();
    expect(nodeOfCaller("arn:aws-cn:iam::123456789012:user/hhc-city-baoding-Claims", "123456789012")).toBeUndefined();
    expect(
      nodeOfCaller("arn:aws-cn:sts::123456789012:assumed-role/HebeiHealth-City-Baoding-ClaimsRole1A2B/x", "123456789012"),
    ).toBeUndefined();
    expect(nodeOfCaller(undefined)).toBeUndefined();
    expect(nodeOfCaller("arn:aws:sts::123456789012:assumed-role/hhc-hub-Connections/x")).toMatchObject({ kind: "hub" });
  });
});
