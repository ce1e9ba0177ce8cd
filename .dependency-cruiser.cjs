/**
 * The import rules of the runtime (docs/architecture.md), checked in `npm test`
 * (test/architecture/import-rules.test.ts) and by `npm run depcruise`.
 * Arrows point inward: handlers → wiring → (use cases, adapters) → ports → domain → schemas.
 */
const LAMBDA_LAYERS_ABOVE_SHARED = "^lambdas/(use-cases|adapters|wiring|handlers)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "contracts-depend-on-zod-only",
      comment: "schemas/ (the contracts) imports nothing of this repository outside schemas/, and no package but zod",
      severity: "error",
      from: { path: "^schemas/" },
      to: { pathNot: ["^schemas/", "^node_modules/zod/"] },
    },
    {
      name: "domain-is-pure",
      comment: "lambdas/domain/ imports only schemas/ and itself (and node:crypto for hashes): no SDK, no HTTP, no seed data, no clock",
      severity: "error",
      from: { path: "^lambdas/domain/" },
      to: { pathNot: ["^lambdas/domain/", "^schemas/", "^node_modules/zod/", "^node_modules/pinyin-pro/", "^(node:)?crypto$"] },
    },
    {
      name: "ports-know-only-the-domain",
      comment: "a port is an interface in domain terms",
      severity: "error",
      from: { path: "^lambdas/ports/" },
      to: { pathNot: ["^lambdas/ports/", "^lambdas/domain/", "^schemas/", "^node_modules/zod/"] },
    },
    {
      name: "shared-imports-nothing-above-it",
      comment: "lambdas/shared/ (runtime helpers) never imports use cases, adapters, wiring or handlers",
      severity: "error",
      from: { path: "^lambdas/shared/" },
      to: { path: LAMBDA_LAYERS_ABOVE_SHARED },
    },
    {
      name: "use-cases-know-ports-not-adapters",
      comment: "a use case owns the interface it needs; the adapter behind it is chosen by wiring",
      severity: "error",
      from: { path: "^lambdas/use-cases/" },
      to: { path: "^lambdas/(adapters|wiring|handlers)/" },
    },
    {
      name: "adapters-implement-ports-never-use-cases",
      severity: "error",
      from: { path: "^lambdas/adapters/" },
      to: { path: "^lambdas/(use-cases|wiring|handlers)/" },
    },
    {
      name: "wiring-is-below-handlers",
      severity: "error",
      from: { path: "^lambdas/wiring/" },
      to: { path: "^lambdas/handlers/" },
    },
    {
      name: "handlers-are-thin",
      comment: "a handler is a middy chain and a use-case call: no adapter, no AWS SDK",
      severity: "error",
      from: { path: "^lambdas/handlers/" },
      to: { path: ["^lambdas/adapters/", "^node_modules/@aws-sdk/", "^node_modules/@smithy/"] },
    },
    {
      name: "no-cdk-or-local-in-a-lambda-bundle",
      comment: "a Lambda bundle carries no CDK, no local province, no config or seed: it learns the province from discovery",
      severity: "error",
      from: { path: "^lambdas/" },
      to: {
        path: [
          "^local/",
          "^lib/(config|seed|stacks|constructs|world)/",
          "^lib/bundle\\.ts$",
          "^node_modules/(aws-cdk-lib|constructs|cdk-nag|aws-cdk|esbuild)/",
        ],
      },
    },
    {
      name: "tests-do-not-import-bench-or-scripts",
      severity: "error",
      from: { path: "^test/" },
      to: { path: "^(bench|scripts)/" },
    },
    {
      name: "bench-does-not-import-tests",
      severity: "error",
      from: { path: "^(bench|scripts)/" },
      to: { path: "^test/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(cdk\\.out|\\.data|coverage)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".mjs", ".json"],
    },
  },
};
