/**
 * Bundles carry only what their function uses (issue 11): every handler bundle at most 600 KiB
 * minified; the functions that compare Chinese names by their pinyin (the MPI's matching, the
 * registry's name search and the writes that index it) may carry pinyin-pro's dictionary, up to
 * 900 KiB. Sizes come from esbuild's metafile of the run's bundles (lib/bundle.ts, built once per
 * run by test/support/global-setup.ts); a bundle over its limit is reported with its largest inputs.
 *
 * And no bundle imports a module dynamically (`import(`): tsx, which runs the local province, rewrites
 * such a module with a fine-grained source map that Node parses per module instance on the first error
 * there, about 30 MB apiece; an overloaded province ran out of memory so (lib/bundle-trim.ts).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { BUNDLE_CACHE_ENV, type BundleSize, bundleDir, bundlePackages, bundleSizes } from "#lib/bundle.ts";
import { staticBuiltinImports } from "#lib/bundle-trim.ts";
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
let root: string;
const tempDir = scratchFolders();

beforeAll(async () => {
  // the run's bundles (global setup); a fresh folder when this file runs without them
  root = process.env[BUNDLE_CACHE_ENV] ?? tempDir("hhc-bundle-size-");
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

test("no handler bundle imports a module dynamically", () => {
  const dynamic = entries.filter((entry) => readFileSync(path.join(bundleDir(entry, root), "index.mjs"), "utf8").includes("import("));
  expect(dynamic).toEqual([]);
});

describe("the SDK's dynamic imports of Node's built-ins become static (lib/bundle-trim.ts)", () => {
  test("each built-in is imported once, as the namespace import() would have answered", () => {
    const source = 'let h = await import("node:http"); let a = await import( "node:async_hooks" ); let g = import(\'node:http\');';
    expect(staticBuiltinImports(source)).toBe(
      'import * as __hhcBuiltin0 from "node:http";import * as __hhcBuiltin1 from "node:async_hooks";\n' +
        "let h = await Promise.resolve(__hhcBuiltin0); let a = await Promise.resolve(__hhcBuiltin1); let g = Promise.resolve(__hhcBuiltin0);",
    );
  });

  test("a module without one is left to esbuild, and other dynamic imports are kept", () => {
    expect(staticBuiltinImports("export const x = 1;")).toBeUndefined();
    expect(staticBuiltinImports('const m = await import("./lazy.js");')).toBeUndefined();
  });
});
