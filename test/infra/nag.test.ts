/**
 * cdk-nag 3 (AWS Solutions and HIPAA Security packs, registered with Validations.of(app).addPlugins)
 * over the whole app: no unacknowledged error or warning in any stack, every acknowledgement has a
 * specific reason, sits on the construct it concerns, and still matches a finding (none is stale).
 */
import { type PolicyViolation, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks, HIPAASecurityChecks, type NagPack } from "cdk-nag";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, test, vi } from "vitest";
import { cityStackId, INSURANCE_STACK_ID, PROVINCE } from "#lib/config/province.ts";
import { HUB_STACK_NAMES } from "#lib/stacks/hub-stack.ts";
import { buildApp, type SynthesizedProvince, synthProvince } from "./support/synth.ts";

const describeViolations = (violations: PolicyViolation[]): string[] =>
  violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(", ")}`);

let province: SynthesizedProvince;
const packs: NagPack[] = [];
const validateCalls: ReturnType<typeof vi.fn>[] = [];

beforeAll(() => {
  province = synthProvince("cn-north-1", {
    beforeSynth: (app) => {
      packs.push(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
      for (const p of packs) validateCalls.push(vi.spyOn(p, "validate") as unknown as ReturnType<typeof vi.fn>);
      Validations.of(app).addPlugins(...packs);
    },
  });
});

const stacks = () => [...province.stacks.hubStacks, ...province.stacks.cities, province.stacks.insurance];

test("synthesis ran both packs over the app, and they reported nothing", () => {
  expect(packs.map((p) => p.readPackName)).toEqual(["AwsSolutions", "HIPAA.Security"]);
  for (const spy of validateCalls) {
    expect(spy).toHaveBeenCalledTimes(1);
    const report = spy.mock.results[0]?.value as { success: boolean; violations: PolicyViolation[] };
    expect(describeViolations(report.violations)).toEqual([]);
    expect(report.success).toBe(true);
  }
});

describe.each(["AwsSolutions", "HIPAA.Security"])("%s", (packName) => {
  test.each([...HUB_STACK_NAMES, ...PROVINCE.cities.map(cityStackId), INSURANCE_STACK_ID])(
    "%s: no unacknowledged error or warning",
    (stackName) => {
      const stack = stacks().find((s) => s.stackName === stackName);
      expect(stack, "stack exists").toBeDefined();
      const pack = packs.find((p) => p.readPackName === packName)!;
      expect(describeViolations(pack.validateScope(stack!).violations)).toEqual([]);
    },
  );
});

/** [construct path, rule id, reason] of every acknowledgement in the tree. */
function acknowledgements(root: IConstruct): [string, string, string][] {
  return root.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) =>
          Object.entries(m.data as Record<string, string>).map(
            ([id, reason]) => [c.node.path, id.replace(/^annotation::/i, ""), reason] as [string, string, string],
          ),
        ),
    );
}

describe("acknowledgements", () => {
  test("each has a specific reason and sits on a resource's construct, never on a stack or the app", () => {
    const acks = acknowledgements(province.app);
    expect(acks.length).toBeGreaterThan(0);
    const stackPaths = new Set(stacks().map((s) => s.node.path));
    for (const [path, id, reason] of acks) {
      expect(reason.length, `${id} at ${path}: reason too short`).toBeGreaterThanOrEqual(40);
      expect(stackPaths.has(path) || path === "", `${id} acknowledged stack-wide at ${path}`).toBe(false);
    }
  });

  test("none is stale: without acknowledgements, each matches a finding on its construct or below", () => {
    const acks = acknowledgements(province.app);
    const original = Validations.prototype.acknowledge;
    Validations.prototype.acknowledge = () => {};
    let findings: { rule: string; path: string }[];
    try {
      const { app } = buildApp("cn-north-1");
      findings = [new AwsSolutionsChecks(), new HIPAASecurityChecks()].flatMap((p) =>
        p
          .validateScope(app)
          .violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath ?? "" }))),
      );
    } finally {
      Validations.prototype.acknowledge = original;
    }
    // the packs do see every stack: each has findings once nothing is acknowledged
    for (const s of stacks())
      expect(
        findings.some((f) => f.path.startsWith(`${s.node.path}/`)),
        s.stackName,
      ).toBe(true);
    const stale = acks.filter(([path, id]) => !findings.some((f) => f.rule === id && (f.path === path || f.path.startsWith(`${path}/`))));
    expect(stale.map(([path, id]) => `${id} at ${path}`)).toEqual([]);
  });
});
