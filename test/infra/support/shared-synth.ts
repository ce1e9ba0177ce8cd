/**
 * One CDK synthesis per test run, shared by the infra tests: once the run's handler bundles exist
 * (test/support/global-setup.ts), and when the run has infra tests (the sequencer of vitest.config.ts
 * knows), shared-synth-main.ts runs in a child process and writes the cloud assembly of the whole
 * province for cn-north-1 (with CDK's CloudFormation schema validation, as `cdk synth` runs it) and
 * for ap-southeast-1, each with a description of its stacks. The local-province tests run
 * meanwhile; an infra test waits for the region it reads (synth.ts sharedProvince).
 * This module stays light: the global setup and vitest.config.ts import it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { HubStackId } from "#lib/declaration/index.ts";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** The run's shared synthesis folder */
export const SYNTH_DIR_ENV = "HHC_TEST_SYNTH_DIR";

export const SHARED_REGIONS = ["cn-north-1", "ap-southeast-1"] as const;
export type SharedRegion = (typeof SHARED_REGIONS)[number];
/** Only the China synth runs CDK's built-in CloudFormation schema validation (it costs seconds per synth) */
export const CFN_VALIDATED_REGION: SharedRegion = "cn-north-1";

export const CDK_CONTEXT = (JSON.parse(readFileSync(path.join(REPO_ROOT, "cdk.json"), "utf8")) as { context: Record<string, unknown> })
  .context;

/** What the infra tests read of a synthesized stack construct */
export interface StackInfo {
  stackName: string;
  artifactId: string;
  region: string;
  /** stack.dependencies, by stack name */
  dependencies: string[];
  /** stack.templateOptions.description */
  description: string | undefined;
}

export interface StacksInfo {
  hubStacks: (StackInfo & { hubStack: HubStackId })[];
  cities: (StackInfo & { cityId: string })[];
  insurance: StackInfo;
}

export const regionDir = (dir: string, region: string): string => path.join(dir, region);
export const assemblyDir = (dir: string, region: string): string => path.join(regionDir(dir, region), "cdk.out");
/** Written last, once the region's assembly is complete */
export const stacksFile = (dir: string, region: string): string => path.join(regionDir(dir, region), "stacks.json");
/** The handler bundles of both synths (one folder per entry) */
export const bundleRootOf = (dir: string): string => path.join(dir, "bundles");
/** Written when the synthesis failed: the error */
export const errorFile = (dir: string): string => path.join(dir, "error.txt");
/** The child's output (CDK's warnings) */
export const logFile = (dir: string): string => path.join(dir, "synth.log");

/**
 * The global setup and the sequencer run in vitest's main process, the setup first: the setup offers
 * the start of the synthesis under this key, and the sequencer calls it when the run has infra tests.
 */
const START_KEY = Symbol.for("hhc.test.startSharedSynth");
type Registry = { [START_KEY]?: () => Promise<void> };

export function offerSharedSynth(start: () => Promise<void>): void {
  (globalThis as Registry)[START_KEY] = start;
}

/** Starts the run's synthesis (anew: a watch-mode rerun synthesizes the changed code), if the global setup offered it */
export async function requestSharedSynth(): Promise<void> {
  await (globalThis as Registry)[START_KEY]?.();
}

/** Starts the shared synthesis into `dir` (which must exist, empty) in a child process. */
export function startSharedSynth(dir: string): ChildProcess {
  const log = openSync(logFile(dir), "a");
  return spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "test", "infra", "support", "shared-synth-main.ts"), dir], {
    cwd: REPO_ROOT,
    stdio: ["ignore", log, log],
  });
}
