/**
 * Once per test run: a seeded, bundled province data folder that every local-province test copies
 * (test/support/province.ts newDataDir), instead of seeding 467 hospitals and 16,000 staff again in
 * each test file; its first start must have seeded it. Its bundles are the run's handler bundles:
 * the CDK synths copy them (lib/bundle.ts, HHC_BUNDLE_CACHE) and the bundle-size test reads their
 * metafiles. Then, when the run has infra tests, in a child process beside the tests, the run's one
 * CDK synthesis that they share (test/infra/support/shared-synth.ts).
 */
import type { ChildProcess } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { BUNDLE_CACHE_ENV } from "#lib/bundle.ts";
import { scratchFolder } from "#lib/harness/scratch.ts";
import { startProvince } from "#local/province.ts";
import { offerSharedSynth, SYNTH_DIR_ENV, startSharedSynth } from "../infra/support/shared-synth.ts";

export const TEMPLATE_ENV = "HHC_TEST_TEMPLATE_DIR";

export default async function setup(): Promise<() => Promise<void>> {
  // removed by the teardown, and when vitest ends without it (Ctrl-C: the template and every test province's data)
  const run = scratchFolder("hhc-run-");
  const template = path.join(run, "template");
  const province = await startProvince({ dataDir: template, port: 0, log: () => {} });
  await province.stop();
  if (!province.timings.seeded) throw new Error("the template province's first start did not seed its registries");
  process.env[TEMPLATE_ENV] = template;
  process.env[BUNDLE_CACHE_ENV] = path.join(template, "bundles");
  const synthDir = path.join(run, "synth");
  process.env[SYNTH_DIR_ENV] = synthDir;
  let synth: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const stopSynth = async () => {
    // a run may end before the synthesis does (its infra tests failed, or it was cancelled)
    if (synth && synth.exitCode === null && synth.signalCode === null) synth.kill();
    await exited;
  };
  // each run of the session (vitest's watch mode reruns) synthesizes the code as it is then
  offerSharedSynth(async () => {
    await stopSynth();
    rmSync(synthDir, { recursive: true, force: true });
    mkdirSync(synthDir);
    synth = startSharedSynth(synthDir);
    exited = new Promise<void>((resolve) => synth!.once("exit", () => resolve()));
  });
  return async () => {
    await stopSynth();
    rmSync(run, { recursive: true, force: true });
  };
}
