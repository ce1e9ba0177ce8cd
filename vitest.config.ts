import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { requestSharedSynth } from "./test/infra/support/shared-synth.ts";

/** A suite that starts a local province or its parts (in process or as a child process), wherever it lives */
const startsProvince = (file: string): boolean =>
  file.includes("/test/local/") || /\b(startTestProvince|startProvince|spawnProvince)\(/.test(readFileSync(file, "utf8"));

/**
 * The two longest files (the fuzz campaign, about 200 s; the telemedicine simulation, about 85 s on
 * this 2-core machine), first whatever vitest knows: a fresh clone has no record of the last run's
 * durations, and vitest then orders by file size, which put the short fuzz file last and left it
 * running alone for its last three minutes (CI, 2026-12-06: 552 s where a warm run took 491 s)
 */
const LONGEST = ["/test/fuzz/routes.test.ts", "/test/local/telemedicine.test.ts"];

/**
 * Longest files first, so that two workers finish together: the suites that start a local province
 * (emulators and a gateway: test/local, the walkthrough), then the infra suites (they read the run's
 * one CDK synthesis, which runs meanwhile in a child process), then the unit tests that fill the
 * gaps. Within each group, vitest's own order (the last run's durations when it has them).
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification): number => {
      const longest = LONGEST.findIndex((suffix) => file.moduleId.endsWith(suffix));
      if (longest >= 0) return longest - LONGEST.length;
      return startsProvince(file.moduleId) ? 0 : file.moduleId.includes("/test/infra/") ? 1 : 2;
    };
    // the infra tests read the run's one CDK synthesis: it starts now, beside the local-province suites
    if (files.some((file) => rank(file) === 1)) await requestSharedSynth();
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // one seeded province folder, with the run's handler bundles, for the whole run: copied by each
    // local-province test, the bundles copied by the CDK synths (lib/bundle.ts)
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // two cores: one file per core; the local-province suites each start emulators and a gateway
    pool: "forks",
    maxWorkers: 2,
    fileParallelism: true,
    sequence: { sequencer: LongestFirst },
    // the handler bundles a local province imports (local/runtime.ts) are Node's to load, as Lambda's
    // runtime does: vitest would otherwise inline every one (a .mjs outside node_modules), sending
    // each node's copy of each 400-900 KB bundle through Vite's transform and the module runner
    server: { deps: { external: [/\/bundles\/[^/]+\/index\.mjs/] } },
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
