/**
 * Synthesizes the whole province (hub + 11 cities) in memory, with the feature flags of cdk.json,
 * so each test file pays for one synth (in beforeAll). Bundles go to a temporary folder per
 * process: test files run in parallel and must not write the same bundle files at once.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App, type Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { REPO_ROOT } from "#lib/bundle.ts";
import { buildProvince, type ProvinceStacks } from "#lib/stacks/province.ts";

export const CDK_CONTEXT = (JSON.parse(readFileSync(path.join(REPO_ROOT, "cdk.json"), "utf8")) as { context: Record<string, unknown> })
  .context;

const bundleRoot = mkdtempSync(path.join(tmpdir(), "hhc-bundles-"));

export interface SynthesizedProvince {
  app: App;
  stacks: ProvinceStacks;
  assembly: CloudAssembly;
  bundleRoot: string;
  template(stack: Stack): Template;
}

/** `beforeSynth` runs on the built app before synthesis (e.g. to register cdk-nag). */
export function buildApp(region = "cn-north-1"): { app: App; stacks: ProvinceStacks } {
  const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), "hhc-cdk-out-")), context: { ...CDK_CONTEXT } });
  return { app, stacks: buildProvince(app, { env: { region }, bundleRoot }) };
}

export function synthProvince(region = "cn-north-1", beforeSynth?: (app: App) => void): SynthesizedProvince {
  const { app, stacks } = buildApp(region);
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
