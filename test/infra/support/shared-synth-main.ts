/**
 * The run's shared CDK synthesis (shared-synth.ts): `node --import tsx shared-synth-main.ts <dir>`.
 * Per region, the cloud assembly, then stacks.json (renamed into place, so that a reader never sees
 * half of it); on failure, error.txt.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { App, type Stack } from "aws-cdk-lib";
import { buildProvince } from "#lib/stacks/province.ts";
import {
  assemblyDir,
  bundleRootOf,
  CDK_CONTEXT,
  CFN_VALIDATED_REGION,
  errorFile,
  regionDir,
  SHARED_REGIONS,
  type StackInfo,
  type StacksInfo,
  stacksFile,
} from "./shared-synth.ts";

const dir = process.argv[2];
if (!dir) throw new Error("usage: shared-synth-main.ts <dir>");

const info = (stack: Stack): StackInfo => ({
  stackName: stack.stackName,
  artifactId: stack.artifactId,
  region: stack.region,
  dependencies: stack.dependencies.map((d) => d.stackName),
  description: stack.templateOptions.description,
});

try {
  for (const region of SHARED_REGIONS) {
    mkdirSync(regionDir(dir, region), { recursive: true });
    const app = new App({
      outdir: assemblyDir(dir, region),
      context: { ...CDK_CONTEXT },
      builtinCloudFormationValidation: region === CFN_VALIDATED_REGION,
    });
    const stacks = buildProvince(app, { env: { region }, bundleRoot: bundleRootOf(dir) });
    app.synth();
    const described: StacksInfo = {
      hubStacks: stacks.hubStacks.map((s) => ({ ...info(s), hubStack: s.hubStack })),
      cities: stacks.cities.map((s) => ({ ...info(s), cityId: s.city.id })),
      insurance: info(stacks.insurance),
    };
    const file = stacksFile(dir, region);
    writeFileSync(`${file}.tmp`, JSON.stringify(described));
    renameSync(`${file}.tmp`, file);
  }
} catch (error) {
  writeFileSync(errorFile(dir), (error as Error).stack ?? String(error));
  process.exitCode = 1;
}
