/**
 * Trailing slashes in AWS (docs/fhir-clients.md#trailing-slashes): `[base]/` is `[base]` because
 * every node API is an API Gateway REST API, which routes `/x/` to the resource `/x` (passing the
 * path as sent in `path` and the matched resource in `resource`, by which the handlers route). This
 * holds the synthesized templates to what that relies on: REST APIs only; every declared route a
 * resource path without a trailing slash or an empty segment; no greedy `{proxy+}` resource that
 * would take `/x/` before its route does.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { CITY_DECLARATION, HUB_DECLARATION } from "#lib/declaration/index.ts";
import { resourcesOfType, routes } from "./support/queries.ts";
import { SHARED_SYNTH_TIMEOUT_MS, type SharedProvince, sharedProvince } from "./support/synth.ts";

let province: SharedProvince;
beforeAll(async () => {
  province = await sharedProvince("cn-north-1");
}, SHARED_SYNTH_TIMEOUT_MS);

const stacks = () => [...province.stacks.hubStacks, ...province.stacks.cities];

describe("trailing slashes: the APIs API Gateway routes /x/ to /x for", () => {
  test("are REST APIs (an HTTP API would not match /x/), in every stack", () => {
    for (const stack of stacks()) {
      const t = province.template(stack);
      expect(Object.keys(resourcesOfType(t, "AWS::ApiGatewayV2::Api")), stack.stackName).toEqual([]);
      expect(Object.keys(resourcesOfType(t, "AWS::ApiGatewayV2::Route")), stack.stackName).toEqual([]);
    }
    expect(Object.keys(resourcesOfType(province.template(province.stacks.hub), "AWS::ApiGateway::RestApi")).length).toBeGreaterThan(0);
  });

  test("have resources of one non-empty segment each, none greedy, so each route is its declared path alone", () => {
    for (const stack of stacks()) {
      for (const [id, resource] of Object.entries(resourcesOfType(province.template(stack), "AWS::ApiGateway::Resource"))) {
        const part = String(resource.Properties.PathPart);
        expect(part, `${stack.stackName} ${id}`).toMatch(/^[^/]+$/);
        expect(part, `${stack.stackName} ${id}`).not.toMatch(/\+\}$/);
      }
    }
  });

  test("serve every declared route at its path without a trailing slash", () => {
    const declared = [...HUB_DECLARATION.apis, ...CITY_DECLARATION.apis].flatMap((api) => api.routes.map((r) => r.path));
    for (const path of declared) expect(path === "/" || !path.endsWith("/"), path).toBe(true);
    const city = province.stacks.cities[0]!;
    const synthesized = routes(province.template(city)).map((r) => r.split(" ")[2]!);
    expect(synthesized).toContain("/fhir");
    for (const path of synthesized) expect(path === "/" || !path.endsWith("/"), path).toBe(true);
  });
});
