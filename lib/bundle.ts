/**
 * Builds one handler bundle per entry with the shared BUNDLING options, once per process.
 * Used by the CDK constructs (Code.fromAsset of the bundle folder: every city's function
 * shares one asset) and by the local province, so both run the same bytes.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";
import { BUNDLING } from "./declaration/bundling.ts";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const built = new Map<string, string>();

/** Bundles `entry` (repo-relative) into `<outRoot>/<name>/index.mjs`; returns the folder. */
export function bundleHandler(entry: string, outRoot: string): string {
  const key = `${entry}@${outRoot}`;
  const cached = built.get(key);
  if (cached) return cached;
  const name = entry
    .replace(/^lambdas\/handlers\//, "")
    .replace(/\.ts$/, "")
    .replace(/\//g, "-");
  const outDir = path.join(outRoot, name);
  mkdirSync(outDir, { recursive: true });
  buildSync({
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
  built.set(key, outDir);
  return outDir;
}

/** Content hash of a built bundle (used to show that cities share one asset). */
export function bundleHash(outDir: string): string {
  return createHash("sha256")
    .update(readFileSync(path.join(outDir, `index${BUNDLING.outExtension}`)))
    .digest("hex");
}
