/**
 * Handler bundles with the shared BUNDLING options: one per entry, so every city's function
 * shares one asset (CDK), and the local province runs the same bytes as AWS.
 *
 * A bundle folder holds index.mjs, and, when the local province's bundleHandlers built it, a
 * manifest.json beside it: the inputs' modification times (to skip an unchanged bundle on the
 * next start) and the size each input takes in the output (test/infra/bundle-size.test.ts).
 * A test run builds every bundle once (test/support/global-setup.ts) and names the folder in
 * HHC_BUNDLE_CACHE: bundleHandler then copies an up-to-date bundle from there instead of building.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildOptions, build, type Metafile } from "esbuild";
import { trimPlugins } from "./bundle-trim.ts";
import { BUNDLING } from "./declaration/bundling.ts";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** A folder of up-to-date bundles (built with bundleHandlers) that bundleHandler copies from */
export const BUNDLE_CACHE_ENV = "HHC_BUNDLE_CACHE";

const OUT_FILE = `index${BUNDLING.outExtension}`;

/** The files that decide how a bundle is built, besides its inputs: a change to one rebuilds it */
const BUILD_FILES = [
  fileURLToPath(import.meta.url),
  path.join(REPO_ROOT, "lib", "bundle-trim.ts"),
  path.join(REPO_ROOT, "lib", "declaration", "bundling.ts"),
];

const built = new Map<string, string>();

/** The folder a handler's bundle goes to: `<outRoot>/<name>/index.mjs` */
export const bundleDir = (entry: string, outRoot: string): string =>
  path.join(
    outRoot,
    entry
      .replace(/^lambdas\/handlers\//, "")
      .replace(/\.ts$/, "")
      .replace(/\//g, "-"),
  );

const buildOptions = (entry: string, outDir: string): BuildOptions => ({
  entryPoints: [path.join(REPO_ROOT, entry)],
  outfile: path.join(outDir, OUT_FILE),
  bundle: true,
  format: BUNDLING.format,
  platform: BUNDLING.platform,
  target: BUNDLING.target,
  minify: BUNDLING.minify,
  sourcemap: BUNDLING.sourcemap,
  mainFields: [...BUNDLING.mainFields],
  banner: { js: BUNDLING.banner },
  legalComments: "none",
  logLevel: "error",
  absWorkingDir: REPO_ROOT,
  plugins: trimPlugins,
});

export interface BundleManifest {
  options: string;
  /** Every file the bundle was built from (inputs and BUILD_FILES), with its mtime */
  inputs: Record<string, number>;
  /** Size of the output file */
  bytes: number;
  /** Bytes each input takes in the output, by esbuild's metafile path (relative to the repository) */
  outputInputs: Record<string, number>;
}

const manifestPath = (outDir: string) => path.join(outDir, "manifest.json");
const optionsKey = (): string => JSON.stringify(BUNDLING);

const readManifest = (outDir: string): BundleManifest | undefined => {
  try {
    return JSON.parse(readFileSync(manifestPath(outDir), "utf8")) as BundleManifest;
  } catch {
    return undefined;
  }
};

/** Whether the bundle in `outDir` was built with these options from inputs unchanged since. */
function upToDate(outDir: string): boolean {
  if (!existsSync(path.join(outDir, OUT_FILE))) return false;
  const manifest = readManifest(outDir);
  if (!manifest || manifest.options !== optionsKey() || manifest.bytes === undefined) return false;
  return Object.entries(manifest.inputs).every(([file, mtime]) => existsSync(file) && statSync(file).mtimeMs === mtime);
}

function writeManifest(outDir: string, metafile: Metafile): void {
  const files = [
    // inputs of a plugin's namespace ("hhc-zod:…") are not files; their contents come from BUILD_FILES
    ...Object.keys(metafile.inputs)
      .filter((input) => !/^[a-z-]+:/.test(input))
      .map((input) => path.resolve(REPO_ROOT, input)),
    ...BUILD_FILES,
  ];
  const output = Object.values(metafile.outputs)[0]!;
  const manifest: BundleManifest = {
    options: optionsKey(),
    inputs: Object.fromEntries(files.map((file) => [file, statSync(file).mtimeMs])),
    bytes: output.bytes,
    outputInputs: Object.fromEntries(Object.entries(output.inputs).map(([input, { bytesInOutput }]) => [input, bytesInOutput])),
  };
  writeFileSync(manifestPath(outDir), JSON.stringify(manifest));
}

const staged = new Set<string>();
/**
 * The staged bundle folder of `entry`: every declared handler is built once per process and out
 * folder, by a child process (esbuild's plugins need its asynchronous API; CDK asks synchronously),
 * beside the out folder, so the asset folder itself holds index.mjs only.
 */
function stagedBundles(outRoot: string, entry: string): string {
  const staging = `${outRoot.replace(/[\\/]+$/, "")}-staging`;
  if (!staged.has(staging)) {
    execFileSync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "lib", "bundle-all.ts"), staging], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "inherit", "inherit"],
    });
    staged.add(staging);
  }
  return bundleDir(entry, staging);
}

/**
 * Builds one handler bundle per entry with the shared BUNDLING options, once per process.
 * Used by the CDK constructs (Code.fromAsset of the bundle folder: every city's function
 * shares one asset); the local province uses bundleHandlers below, with the same options.
 * The folder holds index.mjs only (the asset's bytes); in a test run it is copied from the run's
 * bundles (HHC_BUNDLE_CACHE) when those are up to date.
 */
export function bundleHandler(entry: string, outRoot: string): string {
  const key = `${entry}@${outRoot}`;
  const cached = built.get(key);
  if (cached) return cached;
  const outDir = bundleDir(entry, outRoot);
  mkdirSync(outDir, { recursive: true });
  const cache = process.env[BUNDLE_CACHE_ENV];
  const cacheDir = cache ? bundleDir(entry, cache) : undefined;
  if (cacheDir && upToDate(cacheDir)) copyFileSync(path.join(cacheDir, OUT_FILE), path.join(outDir, OUT_FILE));
  else copyFileSync(path.join(stagedBundles(outRoot, entry), OUT_FILE), path.join(outDir, OUT_FILE));
  built.set(key, outDir);
  return outDir;
}

/**
 * The local province's bundling: the same options as bundleHandler, built concurrently (esbuild
 * works in its own process, so seeding can go on meanwhile), and skipped for a bundle whose inputs
 * have not changed since it was built (later starts, and copies of the test run's template, stay fast).
 */
export async function bundleHandlers(entries: string[], outRoot: string): Promise<{ built: number; reused: number }> {
  let rebuilt = 0;
  await Promise.all(
    [...new Set(entries)].map(async (entry) => {
      const outDir = bundleDir(entry, outRoot);
      if (upToDate(outDir)) return;
      mkdirSync(outDir, { recursive: true });
      const result = await build({ ...buildOptions(entry, outDir), metafile: true });
      writeManifest(outDir, result.metafile!);
      rebuilt++;
    }),
  );
  return { built: rebuilt, reused: new Set(entries).size - rebuilt };
}

export interface BundleSize {
  entry: string;
  bytes: number;
  /** Bytes each input takes in the output, largest first */
  inputs: { path: string; bytes: number }[];
}

/** The size of each entry's bundle and of its inputs, building (bundleHandlers) what is not up to date in `outRoot`. */
export async function bundleSizes(entries: string[], outRoot: string): Promise<BundleSize[]> {
  await bundleHandlers(entries, outRoot);
  return [...new Set(entries)].map((entry) => {
    const manifest = readManifest(bundleDir(entry, outRoot))!;
    const inputs = Object.entries(manifest.outputInputs)
      .map(([p, bytes]) => ({ path: p, bytes }))
      .sort((a, b) => b.bytes - a.bytes);
    return { entry, bytes: manifest.bytes, inputs };
  });
}

/** The package (or, outside node_modules, the repository folder) an input of the metafile belongs to */
const packageOf = (input: string): string => input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? input.replace(/\/[^/]+$/, "/");

/** The bytes a bundle's inputs take in it, summed by package (or repository folder), largest first */
export function bundlePackages(size: BundleSize): { name: string; bytes: number }[] {
  const byPackage = new Map<string, number>();
  for (const input of size.inputs) byPackage.set(packageOf(input.path), (byPackage.get(packageOf(input.path)) ?? 0) + input.bytes);
  return [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}
