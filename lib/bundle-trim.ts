/**
 * esbuild plugins that keep out of every handler bundle what no handler runs (lib/bundle.ts):
 *
 * - zod's locales: zod/v4/classic re-exports all ~50 locales (~260 KiB minified) through its `z`
 *   namespace, which defeats tree shaking. Handlers speak English, zod's default: the locales
 *   index resolves to a module exporting only `en`, so every message stays the same.
 * - zod's JSON Schema conversions and its schema compiler (`z.toJSONSchema`, `schema.toJSONSchema()`,
 *   `z.fromJSONSchema`, `z.compile`, `z.withParser`), and the JSON Schema processor every schema
 *   class names (~12 KiB): reached only through the namespace or as methods, and no handler calls
 *   them. They resolve to stubs that throw, naming this file, so a handler that starts to use one
 *   fails in the tests. (aggregateChecks, behind `schema.minLength`, `.format` …, stays zod's own.)
 * - the AWS SDK clients' package.json (~2.5 KiB each): a client reads only its version from it (for
 *   the user agent), so the bundle carries only the name and version.
 * - the AWS SDK's default credential chain (SSO, STS, IMDS, ini files, login: ~130 KiB): a Lambda
 *   function's credentials are in its environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 *   AWS_SESSION_TOKEN), as are the local province's, so the chain resolves to its first link, fromEnv.
 * - the SDK's event streams (`@smithy/core/event-streams`: codec, marshallers, serde; ~13 KiB): only
 *   S3's SelectObjectContent and similar streaming operations use them, and no handler calls one. The
 *   S3 client still builds its marshaller at construction, so the stub's provider returns one whose
 *   every method throws, naming this file; `EventStreamSerde` (loaded only for such an operation) throws.
 *
 * And one that changes nothing a handler does: the SDK's dynamic imports of Node's built-in modules
 * (`await import("node:http")` in @smithy/node-http-handler, `import("node:async_hooks")` in
 * @aws/lambda-invoke-store) become static imports of the same namespace (`import * as`), which Node
 * has loaded anyway. A module holding `import(` is rewritten by tsx's loader, which runs the local
 * province, with a fine-grained source map; Node parses that map for each module instance (each
 * node's function) the first time an error's stack is read there, about 30 MB apiece: an
 * overloaded province, erring in every function, ran out of memory (docs/capacity.md). A bundle
 * without `import(` is loaded as it is (test/infra/bundle-size.test.ts keeps it so).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Plugin } from "esbuild";

const ZOD_V4 = /[\\/]zod[\\/]v4[\\/]/;

const stub = (names: string[], classes: string[] = [], values = ""): string =>
  [
    'const left=(n)=>()=>{throw new Error("zod\'s "+n+" is left out of handler bundles (lib/bundle-trim.ts)")};',
    ...names.map((n) => `export const ${n}=left(${JSON.stringify(n)});`),
    ...classes.map((c) => `export class ${c} extends Error{}`),
    values,
  ].join("\n");

/** The JSON Schema processors, stubbed by name, but for aggregateChecks (zod's own, from the module itself) */
const processorsStub = (resolved: string): string => {
  const names = [...readFileSync(resolved, "utf8").matchAll(/^export (?:const|function) (\w+)/gm)].map((m) => m[1]!);
  return `${stub(names.filter((n) => n !== "aggregateChecks"))}\nexport { aggregateChecks } from ${JSON.stringify(resolved)};`;
};

/** The modules of zod/v4 replaced, by the specifier zod imports them with. */
const ZOD_REPLACEMENTS: Record<string, (resolved: string) => string> = {
  "../locales/index.js": (resolved) => `export { default as en } from ${JSON.stringify(path.join(path.dirname(resolved), "en.js"))};`,
  "./from-json-schema.js": () => stub(["fromJSONSchema"]),
  "./to-json-schema.js": () =>
    stub(
      ["initializeContext", "handleUnrepresentable", "processSchema", "process", "extractDefs", "finalize"],
      [],
      'export const createToJSONSchemaMethod=()=>left("toJSONSchema");export const createStandardJSONSchemaMethod=()=>left("~standard.jsonSchema");',
    ),
  "../core/to-json-schema.js": () => ZOD_REPLACEMENTS["./to-json-schema.js"]!(""),
  "../core/json-schema-processors.js": processorsStub,
  "./json-schema-processors.js": processorsStub,
  "./compile.js": () =>
    stub(
      ["compile", "compileFn", "withParser"],
      ["ZodCompileAsyncError", "ZodCompileUnsupportedError"],
      'export const INVALID=Symbol.for("zod.compile.invalid");',
    ),
};

/** `import("node:x")` in a dependency's module: made static (see above) */
const BUILTIN_IMPORT = /\bimport\(\s*["'](node:[a-z_/]+)["']\s*\)/g;

/** The module's source with its dynamic imports of Node's built-ins made static, or undefined when it has none */
export function staticBuiltinImports(source: string): string | undefined {
  if (!source.includes("import(")) return undefined;
  const names = new Map<string, string>();
  const rewritten = source.replace(BUILTIN_IMPORT, (_, specifier: string) => {
    if (!names.has(specifier)) names.set(specifier, `__hhcBuiltin${names.size}`);
    return `Promise.resolve(${names.get(specifier)})`;
  });
  if (names.size === 0) return undefined;
  return `${[...names].map(([specifier, name]) => `import * as ${name} from ${JSON.stringify(specifier)};`).join("")}\n${rewritten}`;
}

export const trimPlugins: Plugin[] = [
  {
    name: "hhc-static-builtin-imports",
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/].*\.m?js$/ }, (args) => {
        const contents = staticBuiltinImports(readFileSync(args.path, "utf8"));
        return contents === undefined ? undefined : { contents, loader: "js", resolveDir: path.dirname(args.path) };
      });
    },
  },
  {
    name: "hhc-zod-english-only",
    setup(build) {
      const filter = new RegExp(
        `^(${Object.keys(ZOD_REPLACEMENTS)
          .map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
          .join("|")})$`,
      );
      build.onResolve({ filter }, (args) =>
        ZOD_V4.test(args.importer)
          ? { path: path.join(args.resolveDir, args.path), namespace: "hhc-zod", pluginData: args.path }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: "hhc-zod" }, (args) => ({
        contents: ZOD_REPLACEMENTS[args.pluginData as string]!(args.path),
        resolveDir: path.dirname(args.path),
        loader: "js",
      }));
    },
  },
  {
    name: "hhc-sdk-package-version",
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/]@aws-sdk[\\/][^\\/]+[\\/]package\.json$/ }, (args) => {
        const { name, version } = JSON.parse(readFileSync(args.path, "utf8")) as { name: string; version: string };
        return { contents: JSON.stringify({ name, version }), loader: "json" };
      });
    },
  },
  {
    name: "hhc-no-event-streams",
    setup(build) {
      build.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, () => ({ path: "event-streams", namespace: "hhc-event-streams" }));
      build.onLoad({ filter: /.*/, namespace: "hhc-event-streams" }, () => ({
        contents: [
          'const no = () => { throw new Error("event streams are left out of the handler bundles (lib/bundle-trim.ts)"); };',
          "export const eventStreamSerdeProvider = () => ({ serialize: no, deserialize: no });",
          "export const resolveEventStreamSerdeConfig = (input) => Object.assign(input, { eventStreamMarshaller: input.eventStreamSerdeProvider(input) });",
          "export class EventStreamSerde { constructor() { no(); } }",
        ].join("\n"),
        loader: "js",
      }));
    },
  },
  {
    name: "hhc-environment-credentials",
    setup(build) {
      build.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, (args) => ({
        path: "defaultProvider",
        namespace: "hhc-credentials",
        pluginData: args.resolveDir,
      }));
      build.onLoad({ filter: /.*/, namespace: "hhc-credentials" }, (args) => ({
        contents: 'export { fromEnv as defaultProvider } from "@aws-sdk/credential-provider-env";',
        resolveDir: args.pluginData as string,
        loader: "js",
      }));
    },
  },
];
