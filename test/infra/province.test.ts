/**
 * The app as a whole: one stack per configured city, independent stacks (no exports, no imports,
 * no dependencies), one shared asset per handler, partition-aware ARNs in China and global regions,
 * and nothing the China regions lack.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { cityStackId, INSURANCE_STACK_ID, PROVINCE } from "#lib/config/province.ts";
import { CITY_DECLARATION, HUB_DECLARATION, INSURANCE_DECLARATION } from "#lib/declaration/index.ts";
import { HUB_STACK_NAMES } from "#lib/stacks/hub-stack.ts";
import { resourcesOfType, tag } from "./support/queries.ts";
import { SHARED_SYNTH_TIMEOUT_MS, type SharedProvince, sharedProvince } from "./support/synth.ts";

// the run's synthesis (support/shared-synth.ts): cn-north-1 with CDK's CloudFormation schema validation on
let china: SharedProvince;
let global: SharedProvince;
beforeAll(async () => {
  china = await sharedProvince("cn-north-1");
  global = await sharedProvince("ap-southeast-1");
}, SHARED_SYNTH_TIMEOUT_MS);

const allStacks = (p: SharedProvince) => [...p.stacks.hubStacks, ...p.stacks.cities, p.stacks.insurance];

/** Every stack stays well under CloudFormation's 500 resources, leaving room for the next capabilities */
const RESOURCE_LIMIT = 450;
const templateJson = (p: SharedProvince) => allStacks(p).map((s) => [s.stackName, JSON.stringify(p.template(s).toJSON())] as const);

describe("stacks", () => {
  test("the hub's stacks in deploy order, then one stack per configured city, ids from the config, then the insurance platform", () => {
    expect(HUB_STACK_NAMES).toEqual([
      "HebeiHealth-Hub",
      "HebeiHealth-Hub-Exchange",
      "HebeiHealth-Hub-Settlement",
      "HebeiHealth-Hub-Operations",
    ]);
    expect(allStacks(china).map((s) => s.stackName)).toEqual([...HUB_STACK_NAMES, ...PROVINCE.cities.map(cityStackId), INSURANCE_STACK_ID]);
    expect(china.stacks.cities.map((s) => s.cityId)).toEqual(PROVINCE.cities.map((c) => c.id));
  });

  test("no stack depends on another: each deploys alone", () => {
    for (const stack of allStacks(china)) expect(stack.dependencies, stack.stackName).toEqual([]);
    for (const artifact of china.assembly.stacks) {
      expect(
        artifact.dependencies.map((d) => d.id).filter((id) => !id.endsWith(".assets")),
        artifact.stackName,
      ).toEqual([]);
    }
  });

  test(`every stack, the cities' included, holds at most ${RESOURCE_LIMIT} resources`, () => {
    const counts = Object.fromEntries(allStacks(china).map((s) => [s.stackName, Object.keys(china.template(s).toJSON().Resources).length]));
    const over = Object.entries(counts).filter(([, n]) => n > RESOURCE_LIMIT);
    expect(over, JSON.stringify(counts)).toEqual([]);
  });

  test.each([
    ["cn-north-1", () => china],
    ["ap-southeast-1", () => global],
  ])("%s: no CloudFormation export or import anywhere", (_region, province) => {
    for (const [name, json] of templateJson(province())) {
      expect(json, name).not.toContain("Fn::ImportValue");
      expect(json, name).not.toContain('"Export"');
    }
  });
});

test("CDK's built-in CloudFormation schema validation reports nothing", () => {
  const report = JSON.parse(readFileSync(path.join(china.assembly.directory, "validation-report.json"), "utf8")) as {
    pluginReports: { pluginName: string; violations: unknown[] }[];
  };
  expect(report.pluginReports.flatMap((r) => r.violations.map((v) => `${r.pluginName}: ${JSON.stringify(v)}`))).toEqual([]);
});

describe("partitions", () => {
  test("cn-north-1: every ARN is in the aws-cn partition (literal or the AWS::Partition pseudo parameter), none hard-coded to aws", () => {
    for (const [name, json] of templateJson(china)) {
      expect(json, name).not.toMatch(/arn:aws:/);
      expect(json, name).toMatch(/arn:aws-cn:/);
      expect(json, name).toContain('{"Ref":"AWS::Partition"}');
    }
  });

  test("ap-southeast-1: the same app synthesizes for a global region, aws partition", () => {
    for (const [name, json] of templateJson(global)) {
      expect(json, name).not.toMatch(/arn:aws-cn:/);
      expect(json, name).toMatch(/arn:aws:/);
    }
    expect(global.stacks.hub.region).toBe("ap-southeast-1");
  });
});

describe("nothing the China regions lack", () => {
  test.each(["AWS::Lambda::Url", "AWS::Cognito::UserPool"])("no %s", (type) => {
    for (const s of allStacks(china)) expect(Object.keys(resourcesOfType(china.template(s), type)), s.stackName).toEqual([]);
  });

  test("no X-Ray on functions or stages, no Cognito authorizers", () => {
    for (const s of allStacks(china)) {
      const t = china.template(s);
      for (const fn of Object.values(resourcesOfType(t, "AWS::Lambda::Function"))) expect(fn.Properties.TracingConfig).toBeUndefined();
      for (const stage of Object.values(resourcesOfType(t, "AWS::ApiGateway::Stage")))
        expect(stage.Properties.TracingEnabled).not.toBe(true);
      for (const a of Object.values(resourcesOfType(t, "AWS::ApiGateway::Authorizer"))) expect(a.Properties.Type).toBe("REQUEST");
    }
  });
});

describe("one asset per handler, shared by every city", () => {
  const s3KeysByFunction = (p: SharedProvince): Map<string, Set<string>> => {
    const keys = new Map<string, Set<string>>();
    for (const s of allStacks(p)) {
      for (const fn of Object.values(resourcesOfType(p.template(s), "AWS::Lambda::Function"))) {
        const id = tag(fn, "hhc:function")!;
        keys.set(id, (keys.get(id) ?? new Set()).add((fn.Properties.Code as { S3Key: string }).S3Key));
      }
    }
    return keys;
  };

  test("every stack's function for a given handler has the same S3 key", () => {
    const keys = s3KeysByFunction(china);
    const ids = new Set([...HUB_DECLARATION.functions, ...CITY_DECLARATION.functions, ...INSURANCE_DECLARATION.functions].map((f) => f.id));
    expect([...keys.keys()].sort()).toEqual([...ids].sort());
    for (const [id, set] of keys) expect([...set], id).toHaveLength(1);
  });

  test("different handlers have different assets; the same asset in China and global regions", () => {
    const china_ = s3KeysByFunction(china);
    const distinct = new Set([...china_.values()].map((s) => [...s][0]));
    const entries = new Set(
      [...HUB_DECLARATION.functions, ...CITY_DECLARATION.functions, ...INSURANCE_DECLARATION.functions].map((f) => f.entry),
    );
    expect(distinct.size).toBe(entries.size);
    const global_ = s3KeysByFunction(global);
    for (const [id, set] of china_) expect(global_.get(id), id).toEqual(set);
  });

  test("one bundle folder per handler entry (built once per synth, whatever the number of cities)", () => {
    const folderOf = (entry: string) =>
      entry
        .replace(/^lambdas\/handlers\//, "")
        .replace(/\.ts$/, "")
        .replaceAll("/", "-");
    const entries = new Set(
      [...HUB_DECLARATION.functions, ...CITY_DECLARATION.functions, ...INSURANCE_DECLARATION.functions].map((f) => f.entry),
    );
    expect(readdirSync(china.bundleRoot).sort()).toEqual([...entries].map(folderOf).sort());
  });
});
