/**
 * esbuild options of every handler bundle, shared by the CDK functions (lib/constructs) and
 * the local province (local/bundles.ts), so the tested bundle is the deployed bundle:
 * ESM, minified, AWS SDK bundled (not taken from the Lambda runtime).
 */
export const BUNDLING = {
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  sourcemap: false,
  mainFields: ["module", "main"],
  /** ESM bundles of CommonJS dependencies need a require() */
  banner: "import{createRequire as __hhcRequire}from'node:module';const require=__hhcRequire(import.meta.url);",
  outExtension: ".mjs",
} as const;
