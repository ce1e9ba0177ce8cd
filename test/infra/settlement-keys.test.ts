/**
 * Settlement signing keys across accounts (docs/node-identity.md): the insurance platform in its own
 * account keeps its private key there and reaches the province's key directory (the hub's account)
 * through one role of the hub's, which only its /hhc/insurance/ roles may assume; in the same account
 * it reads and publishes there directly. Templates of the same-account province come from the run's
 * synthesis; the cross-account pair is synthesized here (with the run's bundles).
 */
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { beforeAll, describe, expect, test } from "vitest";
import { INSURANCE_STACK_ID } from "#lib/config/province.ts";
import { HubStack, hubStackName } from "#lib/stacks/hub-stack.ts";
import { InsuranceStack } from "#lib/stacks/insurance-stack.ts";
import { ENV } from "#shared/env-names.ts";
import { actionsOn, byTag, functionStatements, resourcesOfType } from "./support/queries.ts";
import { CDK_CONTEXT, SHARED_SYNTH_TIMEOUT_MS, sharedProvince } from "./support/synth.ts";

const HUB = "111111111111";
const INSURANCE = "222222222222";
const DIRECTORY_ROLE = `arn:aws-cn:iam::${HUB}:role/hhc/hub/hhc-insurance-key-directory`;
const key = (path: string, account: unknown = { Ref: "AWS::AccountId" }) => ({
  "Fn::Join": ["", ["arn:aws-cn:ssm:cn-north-1:", account, `:parameter/hhc/keys/${path}`]],
});

let sameAccount: Template;
let hubSettlement: Template;
let insurance: Template;
beforeAll(async () => {
  const province = await sharedProvince("cn-north-1");
  sameAccount = province.template(province.stacks.insurance);
  // each side deployed with the other's account, as docs/settlement.md says
  const app = new App({ context: { ...CDK_CONTEXT, hubAccount: HUB, insuranceAccount: INSURANCE } });
  const env = { region: "cn-north-1" };
  const hub = new HubStack(app, hubStackName("settlement"), { env, bundleRoot: province.bundleRoot, hubStack: "settlement" });
  const platform = new InsuranceStack(app, INSURANCE_STACK_ID, { env, bundleRoot: province.bundleRoot });
  hubSettlement = Template.fromStack(hub);
  insurance = Template.fromStack(platform);
}, SHARED_SYNTH_TIMEOUT_MS);

const adjudicatorEnv = (t: Template) =>
  (
    byTag(t, "AWS::Lambda::Function", "hhc:function", "InsuranceAdjudicator")[1].Properties.Environment as {
      Variables: Record<string, unknown>;
    }
  ).Variables;

describe("the insurance platform in the hub's account", () => {
  test("creates its private key, publishes its public key and reads the cities' public keys, directly", () => {
    const statements = functionStatements(sameAccount, "InsuranceAdjudicator");
    expect(actionsOn(statements, key("private/insurance"))).toEqual(["ssm:GetParameter", "ssm:PutParameter"]);
    expect(actionsOn(statements, key("public/insurance"))).toEqual(["ssm:GetParameter", "ssm:PutParameter"]);
    expect(actionsOn(statements, key("public/city/*"))).toEqual(["ssm:GetParameter"]);
    // never a city's secret: neither the HMAC keys nor the private keys
    expect(JSON.stringify(sameAccount.toJSON())).not.toMatch(/keys\/(city|private\/city)/);
    expect(adjudicatorEnv(sameAccount)[ENV.keyDirectoryRole]).toBeUndefined();
  });
});

describe("the insurance platform in another account", () => {
  test("keeps its private key in its own account and assumes the hub's key directory role for the rest", () => {
    const statements = functionStatements(insurance, "InsuranceAdjudicator");
    expect(actionsOn(statements, key("private/insurance"))).toEqual(["ssm:GetParameter", "ssm:PutParameter"]);
    expect(actionsOn(statements, DIRECTORY_ROLE)).toEqual(["sts:AssumeRole"]);
    expect(actionsOn(statements, key("public/city/*"))).toEqual([]);
    expect(adjudicatorEnv(insurance)[ENV.keyDirectoryRole]).toBe(DIRECTORY_ROLE);
  });

  test("the hub's key directory role: only the insurance account's /hhc/insurance/ roles assume it; it reads the cities' public keys and publishes the platform's", () => {
    const roles = Object.values(resourcesOfType(hubSettlement, "AWS::IAM::Role")).filter(
      (r) => r.Properties.RoleName === "hhc-insurance-key-directory",
    );
    expect(roles).toHaveLength(1);
    expect(roles[0]!.Properties.Path).toBe("/hhc/hub/");
    const trust = roles[0]!.Properties.AssumeRolePolicyDocument as { Statement: Record<string, unknown>[] };
    expect(trust.Statement).toEqual([
      expect.objectContaining({
        Action: "sts:AssumeRole",
        Effect: "Allow",
        Condition: { ArnLike: { "aws:PrincipalArn": `arn:aws-cn:iam::${INSURANCE}:role/hhc/insurance/*` } },
        Principal: { AWS: `arn:aws-cn:iam::${INSURANCE}:root` },
      }),
    ]);
    const policy = Object.values(resourcesOfType(hubSettlement, "AWS::IAM::ManagedPolicy")).find((p) =>
      JSON.stringify(p.Properties.Roles).includes("InsuranceKeyDirectory"),
    )!;
    const statements = (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement;
    expect(statements.map((s) => [s.Action, s.Resource])).toEqual([
      ["ssm:GetParameter", key("public/city/*")],
      [["ssm:GetParameter", "ssm:PutParameter"], key("public/insurance")],
    ]);
  });
});
