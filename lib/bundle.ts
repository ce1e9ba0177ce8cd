/**
 * Handler bundles with the shared BUNDLING options: one per entry, so every city's function
 * shares one asset (CDK), and the local province runs the same bytes as AWS.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type BuildOptions, build, buildSync } from "esbuild";
import { BUNDLING } from "./declaration/bundling.ts";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

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
  outfile: path.join(outDir, `index${BUNDLING.outExtension}`),
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
});

/**
 * Builds one handler bundle per entry with the shared BUNDLING options, once per process.
 * Used by the CDK constructs (Code.fromAsset of the bundle folder: every city's function
 * shares one asset); the local province uses bundleHandlers below, with the same options.
 */
export function bundleHandler(entry: string, outRoot: string): string {
  const key = `${entry}@${outRoot}`;
  const cached = built.get(key);
  if (cached) return cached;
  const outDir = bundleDir(entry, outRoot);
  mkdirSync(outDir, { recursive: true });
  buildSync(buildOptions(entry, outDir));
  built.set(key, outDir);
  return outDir;
}

interface BundleManifest {
  options: string;
  inputs: Record<string, number>;
}

const manifestPath = (outDir: string) => path.join(outDir, "manifest.json");

/** Whether the bundle in `outDir` was built with these options from inputs unchanged since. */
function upToDate(outDir: string, options: string): boolean {
  if (!existsSync(manifestPath(outDir)) || !existsSync(path.join(outDir, `index${BUNDLING.outExtension}`))) return false;
  try {
    const manifest = JSON.parse(readFileSync(manifestPath(outDir), "utf8")) as BundleManifest;
    if (manifest.options !== options) return false;
    return Object.entries(manifest.inputs).every(([file, mtime]) => existsSync(file) && statSync(file).mtimeMs === mtime);
  } catch {
    return false;
  }
}

/**
 * The local province's bundling: the same options as bundleHandler, built concurrently (esbuild
 * works in its own process, so seeding can go on meanwhile), and skipped for a bundle whose inputs
 * have not changed since it was built (later starts stay fast).
 */
export async function bundleHandlers(entries: string[], outRoot: string): Promise<{ built: number; reused: number }> {
  const options = JSON.stringify(BUNDLING);
  let rebuilt = 0;
  await Promise.all(
    [...new Set(entries)].map(async (entry) => {
      const outDir = bundleDir(entry, outRoot);
      if (upToDate(outDir, options)) return;
      mkdirSync(outDir, { recursive: true });
      const result = await build({ ...buildOptions(entry, outDir), metafile: true });
      const inputs = Object.fromEntries(
        Object.keys(result.metafile?.inputs ?? {}).map((input) => {
          const file = path.resolve(REPO_ROOT, input);
          return [file, statSync(file).mtimeMs];
        }),
      );
      writeFileSync(manifestPath(outDir), JSON.stringify({ options, inputs } satisfies BundleManifest));
      rebuilt++;
    }),
  );
  return { built: rebuilt, reused: new Set(entries).size - rebuilt };
}
