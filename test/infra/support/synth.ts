/**
 * The synthesized province for the infra tests. Most read the run's shared synthesis
 * (sharedProvince: shared-synth.ts, one synth per run); the cdk-nag test, which needs the
 * construct tree itself, synthesizes its own app (synthProvince). Its bundles go to a temporary
 * folder per process: test files run in parallel and must not write the same bundle files at once.
 */
import { existsSync, readFileSync } from "node:fs";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { CloudAssembly } from "aws-cdk-lib/cx-api";
import { buildProvince, type ProvinceStacks } from "#lib/stacks/province.ts";
import { scratchFolders } from "../../support/scratch.ts";
import {
  assemblyDir,
  bundleRootOf,
  CDK_CONTEXT,
  errorFile,
  logFile,
  type SharedRegion,
  type StackInfo,
  type StacksInfo,
  SYNTH_DIR_ENV,
  stacksFile,
} from "./shared-synth.ts";

export { CDK_CONTEXT };

// registered in the importing test file: its cloud assemblies (and the CDK's staging beside them) and bundles go when it is done
const scratchDir = scratchFolders((dir) => [`${dir}-staging`]);

let bundleRoot: string | undefined;

export interface SynthesizedProvince {
  app: App;
  stacks: ProvinceStacks;
  assembly: CloudAssembly;
}

export interface SynthOptions {
  /** Runs on the built app before synthesis (e.g. to register cdk-nag) */
  beforeSynth?: (app: App) => void;
}

/** The app and its stacks, not synthesized. */
export function buildApp(region = "cn-north-1"): { app: App; stacks: ProvinceStacks } {
  const app = new App({ outdir: scratchDir("hhc-cdk-out-"), context: { ...CDK_CONTEXT }, builtinCloudFormationValidation: false });
  bundleRoot ??= scratchDir("hhc-bundles-");
  return { app, stacks: buildProvince(app, { env: { region }, bundleRoot }) };
}

/** An app of this test file's own, synthesized (the run's shared synthesis is sharedProvince). */
export function synthProvince(region = "cn-north-1", { beforeSynth }: SynthOptions = {}): SynthesizedProvince {
  const { app, stacks } = buildApp(region);
  beforeSynth?.(app);
  return { app, stacks, assembly: app.synth() };
}

/** The run's synthesis of one region: its stacks as described when synthesized, its assembly and its templates */
export interface SharedProvince {
  stacks: StacksInfo & { hub: StacksInfo["hubStacks"][number] };
  assembly: CloudAssembly;
  /** The bundle folders the synthesis made, one per handler entry */
  bundleRoot: string;
  template(stack: StackInfo): Template;
}

/** How long an infra test's beforeAll may wait for the run's synthesis (it starts with the run, beside the local-province tests) */
export const SHARED_SYNTH_TIMEOUT_MS = 600_000;

/** Waits for the run's synthesis of `region` (test/support/global-setup.ts started it) and reads it. */
export async function sharedProvince(region: SharedRegion): Promise<SharedProvince> {
  const dir = process.env[SYNTH_DIR_ENV];
  if (!dir) throw new Error(`${SYNTH_DIR_ENV} is not set: the infra tests need the run's shared synthesis (test/support/global-setup.ts)`);
  const deadline = Date.now() + SHARED_SYNTH_TIMEOUT_MS;
  while (!existsSync(stacksFile(dir, region))) {
    if (existsSync(errorFile(dir))) throw new Error(`the run's CDK synthesis failed:\n${readFileSync(errorFile(dir), "utf8")}`);
    if (Date.now() > deadline) {
      const log = existsSync(logFile(dir)) ? readFileSync(logFile(dir), "utf8").slice(-2000) : "";
      throw new Error(`the run's CDK synthesis of ${region} did not finish in ${SHARED_SYNTH_TIMEOUT_MS} ms\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const stacks = JSON.parse(readFileSync(stacksFile(dir, region), "utf8")) as StacksInfo;
  const assembly = new CloudAssembly(assemblyDir(dir, region));
  const templates = new Map<string, Template>();
  return {
    stacks: { ...stacks, hub: stacks.hubStacks[0]! },
    assembly,
    bundleRoot: bundleRootOf(dir),
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
