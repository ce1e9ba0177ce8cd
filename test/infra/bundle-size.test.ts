/**
 * Bundles carry only what their function uses (issue 11): every handler bundle at most 600 KiB
 * minified; the functions that compare Chinese names by their pinyin (the MPI's matching, the
 * registry's name search and the writes that index it) may carry pinyin-pro's dictionary, up to
 * 900 KiB. Sizes come from esbuild's metafile of the run's bundles (lib/bundle.ts, built once per
 * run by test/support/global-setup.ts); a bundle over its limit is reported with its largest inputs.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { BUNDLE_CACHE_ENV, type BundleSize, bundlePackages, bundleSizes } from "#lib/bundle.ts";
import { localTopology } from "#local/topology.ts";
import { scratchFolders } from "../support/scratch.ts";

const KIB = 1024;
const LIMIT = 600 * KIB;
const NAME_MATCHING_LIMIT = 900 * KIB;

/** Handlers that really compare names in pinyin */
const NAME_MATCHING = new Set([
  "lambdas/handlers/hub/mpi-feed.ts",
  "lambdas/handlers/hub/mpi-query.ts",
  "lambdas/handlers/hub/mpi-stewardship.ts",
  // a newborn's record re-placed with the resident ID number public security gave it (docs/departments.md#births)
  "lambdas/handlers/hub/mpi-resident-ids.ts",
  // FHIR string search over facility and practitioner names, by characters or pinyin
  "lambdas/handlers/hub/registry-search.ts",
  // index a written or onboarded organization under its pinyin search key
  "lambdas/handlers/hub/registry-write.ts",
  "lambdas/handlers/hub/hospital-onboarding.ts",
]);

/**
 * Still over the limit, with the reason (test.fails: the test fails once the bundle fits, so that the
 * entry is taken out of this list). docs/architecture.md.
 */
const PENDING: Record<string, string> = {};

const entries = [...new Set(localTopology().flatMap((node) => node.declaration.functions.map((f) => f.entry)))];
const limitOf = (entry: string): number => (NAME_MATCHING.has(entry) ? NAME_MATCHING_LIMIT : LIMIT);

const kib = (bytes: number): string => `${(bytes / KIB).toFixed(0)} KiB`;

/** The largest packages (or repository folders) and files of a bundle, for the failure message */
function largestInputs(size: BundleSize, count = 8): string {
  const packages = bundlePackages(size).slice(0, count);
  const files = size.inputs.slice(0, count);
  return [
    `${size.entry}: ${kib(size.bytes)}, over its limit of ${kib(limitOf(size.entry))}; largest inputs by package:`,
    ...packages.map(({ name, bytes }) => `  ${kib(bytes).padStart(8)}  ${name}`),
    "by file:",
    ...files.map((f) => `  ${kib(f.bytes).padStart(8)}  ${f.path.replace(/^(\.\.\/)*.*node_modules\//, "")}`),
  ].join("\n");
}

let sizes: Map<string, BundleSize>;
const tempDir = scratchFolders();

beforeAll(async () => {
  // the run's bundles (global setup); a fresh folder when this file runs without them
  const root = process.env[BUNDLE_CACHE_ENV] ?? tempDir("hhc-bundle-size-");
  sizes = new Map((await bundleSizes(entries, root)).map((s) => [s.entry, s]));
});

test("every pending bundle is a handler of the province", () => {
  for (const entry of [...Object.keys(PENDING), ...NAME_MATCHING]) expect(entries, entry).toContain(entry);
});

describe("handler bundle sizes (minified)", () => {
  for (const entry of entries) {
    const check = () => {
      const size = sizes.get(entry)!;
      if (size.bytes > limitOf(entry)) expect.fail(largestInputs(size));
    };
    if (PENDING[entry]) test.fails(`${entry} (over the limit: ${PENDING[entry]})`, check);
    else test(`${entry} ≤ ${kib(limitOf(entry))}`, check);
  }
});
