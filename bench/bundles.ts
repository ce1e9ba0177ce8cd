/**
 * Every handler bundle's size (minified, as deployed), largest first, with its three largest
 * packages; the limits are test/infra/bundle-size.test.ts's.
 *   npx tsx bench/bundles.ts [--out <folder>]   (default: a fresh temporary folder, removed after)
 */
import { parseArgs } from "node:util";
import { bundlePackages, bundleSizes } from "#lib/bundle.ts";
import { scratchFolder } from "#lib/harness/scratch.ts";
import { localTopology } from "#local/topology.ts";

const { values } = parseArgs({ options: { out: { type: "string" } } });
const root = values.out ?? scratchFolder("hhc-bundles-"); // removed when the bench ends, Ctrl-C included
const entries = [...new Set(localTopology().flatMap((node) => node.declaration.functions.map((f) => f.entry)))];
const started = performance.now();
const sizes = await bundleSizes(entries, root);

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
for (const size of sizes.sort((a, b) => b.bytes - a.bytes)) {
  const top = bundlePackages(size)
    .slice(0, 3)
    .map(({ name, bytes }) => `${name} ${kib(bytes)}`);
  console.log(`${kib(size.bytes).padStart(9)}  ${size.entry.replace(/^lambdas\/handlers\//, "").padEnd(40)} ${top.join(", ")}`);
}
const total = sizes.reduce((sum, s) => sum + s.bytes, 0);
console.log(`${sizes.length} bundles, total ${kib(total)}, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
