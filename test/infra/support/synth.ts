/**
 * Synthesizes the whole province (hub + 11 cities) in memory, with the feature flags of cdk.json,
 * so each test file pays for one synth (in beforeAll). Bundles go to a temporary folder per
 * process: test files run in parallel and must not write the same bundle files at once.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App, type Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { afterAll } from "vitest";
import { REPO_ROOT } from "#lib/bundle.ts";
import { buildProvince, type ProvinceStacks } from "#lib/stacks/province.ts";

export const CDK_CONTEXT = (JSON.parse(readFileSync(path.join(REPO_ROOT, "cdk.json"), "utf8")) as { context: Record<string, unknown> })
  .context;

const scratch: string[] = [];
const scratchDir = (prefix: string): string => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
};
// registered in the importing test file: its cloud assemblies and bundles go when it is done
afterAll(() => {
  for (const dir of scratch) for (const d of [dir, `${dir}-staging`]) rmSync(d, { recursive: true, force: true });
});

const bundleRoot = scratchDir("hhc-bundles-");

export interface SynthesizedProvince {
  app: App;
  stacks: ProvinceStacks;
  assembly: CloudAssembly;
  bundleRoot: string;
  template(stack: Stack): Template;
}

export interface SynthOptions {
  /** Runs on the built app before synthesis (e.g. to register cdk-nag) */
  beforeSynth?: (app: App) => void;
  /**
   * CDK's built-in CloudFormation schema validation (on in `cdk synth`). It costs seconds per
   * synth, so only the test that asserts its report turns it on.
   */
  cfnValidation?: boolean;
}

/** The app and its stacks, not synthesized. */
export function buildApp(region = "cn-north-1", cfnValidation = false): { app: App; stacks: ProvinceStacks } {
  const app = new App({ outdir: scratchDir("hhc-cdk-out-"), context: { ...CDK_CONTEXT }, builtinCloudFormationValidation: cfnValidation });
  return { app, stacks: buildProvince(app, { env: { region }, bundleRoot }) };
}

export function synthProvince(region = "cn-north-1", { beforeSynth, cfnValidation = false }: SynthOptions = {}): SynthesizedProvince {
  const { app, stacks } = buildApp(region, cfnValidation);
  beforeSynth?.(app);
  const assembly = app.synth();
  const templates = new Map<string, Template>();
  return {
    app,
    stacks,
    assembly,
    bundleRoot,
    template(stack) {
      let t = templates.get(stack.artifactId);
      if (!t) {
        t = Template.fromJSON(assembly.getStackArtifact(stack.artifactId).template as Record<string, unknown>);
        templates.set(stack.artifactId, t);
      }
      return t;
    },
  };
}
