import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Longest files first, so that two workers finish together: the local-province suites (each starts
 * emulators and a gateway, 30–120 s), then the infra suites (a CDK synth each), then the unit tests
 * that fill the gaps. Within each group, vitest's own order (the last run's durations when it has them).
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (file: TestSpecification): number =>
      file.moduleId.includes("/test/local/") ? 0 : file.moduleId.includes("/test/infra/") ? 1 : 2;
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // one seeded province folder, with the run's handler bundles, for the whole run: copied by each
    // local-province test, the bundles copied by the infra tests' synths (lib/bundle.ts)
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // two cores: one file per core; the local-province suites each start emulators and a gateway
    pool: "forks",
    maxWorkers: 2,
    fileParallelism: true,
    sequence: { sequencer: LongestFirst },
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  },
});
