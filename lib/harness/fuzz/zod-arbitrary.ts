/**
 * fast-check arbitraries from zod 4 schemas, for the fuzzing of every route (docs/security.md):
 * `validOf(schema)` generates inputs shaped like what the schema accepts (regex and format checks
 * included, through fc.stringMatching; refinements are not solved, so a few may still be refused),
 * and `mutantOf(schema)` takes those and breaks them the way attackers and broken clients do: wrong
 * types, missing and extra fields, huge strings, unicode and control characters, negative and huge
 * numbers, prototype keys.
 *
 * Why not a library: zod-fast-check, the maintained generator, supports zod 3 and fast-check 3 only
 * (peer dependencies `zod ^3.18`, `fast-check <4`); this project is on zod 4 and fast-check 4.
 * The walk below reads zod 4's public definition objects (`schema._zod.def`), nothing private.
 */
import fc from "fast-check";
import type { z } from "zod";

type Schema = z.ZodType;
interface Check {
  check: string;
  minimum?: number;
  maximum?: number;
  length?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}
interface Def {
  type: string;
  checks?: { _zod: { def: Check } }[];
  [key: string]: unknown;
}

const defOf = (schema: Schema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (def: Def): Check[] => [...(def.check ? [def as unknown as Check] : []), ...(def.checks ?? []).map((c) => c._zod.def)];

/** Depth guard for recursive (lazy) schemas */
const MAX_DEPTH = 6;

function stringArbitrary(def: Def): fc.Arbitrary<string> {
  const checks = checksOf(def);
  let min = 0;
  let max = 40;
  for (const c of checks) {
    if (c.check === "min_length") min = Math.max(min, c.minimum ?? 0);
    if (c.check === "max_length") max = Math.min(max, c.maximum ?? max);
    if (c.check === "length_equals") [min, max] = [c.length ?? 0, c.length ?? 0];
  }
  if (max < min) max = min;
  const patterns = checks.filter((c) => c.check === "string_format" && c.pattern instanceof RegExp).map((c) => c.pattern!);
  const pattern = patterns[0];
  if (pattern) {
    // matching the first pattern; one that misses a length bound or a second pattern is refused, also a case
    try {
      return fc.stringMatching(pattern);
    } catch {
      // a pattern fast-check cannot generate from: plain strings (refused, which is also a case)
    }
  }
  return fc.string({ minLength: min, maxLength: max });
}

function numberArbitrary(def: Def): fc.Arbitrary<number> {
  const checks = checksOf(def);
  const integer = checks.some((c) => c.check === "number_format" && /int/.test(c.format ?? ""));
  let min = -1e6;
  let max = 1e6;
  for (const c of checks) {
    if (c.check === "greater_than") min = Math.max(min, (c.value ?? 0) + (c.inclusive ? 0 : integer ? 1 : 1e-6));
    if (c.check === "less_than") max = Math.min(max, (c.value ?? 0) - (c.inclusive ? 0 : integer ? 1 : 1e-6));
  }
  if (max < min) max = min;
  return integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Inputs the schema is meant to accept (its refinements aside) */
export function validOf(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  if (depth > MAX_DEPTH) return fc.constant(undefined);
  const inner = (s: unknown) => validOf(s as Schema, depth + 1);
  switch (def.type) {
    case "string":
      return stringArbitrary(def);
    case "number":
      return numberArbitrary(def);
    case "bigint":
      return fc.bigInt();
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "undefined":
    case "void":
      return fc.constant(undefined);
    case "literal":
      return fc.constantFrom(...(def.values as unknown[]));
    case "enum":
      return fc.constantFrom(...Object.values(def.entries as Record<string, unknown>));
    case "array": {
      const checks = checksOf(def);
      const minLength = Math.max(0, ...checks.filter((c) => c.check === "min_length").map((c) => c.minimum ?? 0));
      const maxLength = Math.min(5, ...checks.filter((c) => c.check === "max_length").map((c) => c.maximum ?? 5));
      return fc.array(inner(def.element), { minLength, maxLength: Math.max(minLength, maxLength) });
    }
    case "tuple":
      return fc.tuple(...(def.items as Schema[]).map(inner));
    case "object": {
      const shape = def.shape as Record<string, Schema>;
      const optional = Object.keys(shape).filter((k) => ["optional", "default"].includes(defOf(shape[k]!).type));
      const arbitraries = Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, inner(v)]));
      return fc.record(arbitraries, { requiredKeys: Object.keys(shape).filter((k) => !optional.includes(k)) });
    }
    case "record":
      return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), inner(def.valueType), { maxKeys: 3 });
    case "union":
      return fc.oneof(...(def.options as Schema[]).map(inner));
    case "intersection":
      return fc
        .tuple(inner(def.left), inner(def.right))
        .map(([a, b]) => (typeof a === "object" && typeof b === "object" ? { ...a, ...b } : a));
    case "optional":
      return fc.option(inner(def.innerType), { nil: undefined });
    case "nullable":
      return fc.option(inner(def.innerType), { nil: null });
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return inner(def.innerType);
    case "pipe":
      return inner(def.in);
    case "lazy":
      return inner((def.getter as () => Schema)());
    default:
      // any, unknown, custom, transform…: anything JSON
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Values of the wrong kind for any position */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -(2 ** 53), max: 2 ** 53 }),
  fc.constantFrom(-1, 0, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308, -1e308, 0.5),
  fc.string({ maxLength: 20 }),
  fc.constantFrom("", " ", "\u0000", "\u202e", "名字", "𠀀𠀁", "../../etc/passwd", "%00", "%E4%B8", "$" + "{jndi:x}", "<script>"),
  fc.integer({ min: 10_000, max: 300_000 }).map((n) => "x".repeat(n)),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.constant({}),
  fc.constant({ __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } }),
);

/** The paths of every position inside a value (object keys and array indexes, at any depth) */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i): [number, unknown] => [i, v])
    : value && typeof value === "object"
      ? Object.entries(value)
      : [];
  return entries.flatMap(([key, v]) => [[...prefix, key], ...pathsOf(v, [...prefix, key])]);
}

function withAt(
  value: unknown,
  path: (string | number)[],
  change: (parent: Record<string | number, unknown>, key: string | number) => void,
): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  change(parent, path[path.length - 1]!);
  return copy;
}

export type Mutant = { kind: string; value: unknown };

/** A valid-shaped input broken in one way (or not an object at all) */
export function mutantOf(schema: Schema): fc.Arbitrary<Mutant> {
  return validOf(schema).chain((valid): fc.Arbitrary<Mutant> => {
    const paths = pathsOf(valid);
    const structural: fc.Arbitrary<Mutant>[] = [
      wrongValue.map((value) => ({ kind: "wrong root", value })),
      fc.constant({ kind: "valid-shaped", value: valid }),
    ];
    if (valid && typeof valid === "object" && !Array.isArray(valid))
      structural.push(
        fc
          .tuple(fc.string({ minLength: 1, maxLength: 30 }), wrongValue)
          .map(([key, extra]) => ({ kind: "extra field", value: { ...(valid as object), [key]: extra } })),
      );
    if (paths.length === 0) return fc.oneof(...structural);
    const at = fc.constantFrom(...paths);
    return fc.oneof(
      ...structural,
      fc.tuple(at, wrongValue).map(([path, wrong]) => ({
        kind: `wrong type at ${path.join(".")}`,
        value: withAt(valid, path, (parent, key) => {
          parent[key] = wrong;
        }),
      })),
      at.map((path) => ({
        kind: `missing ${path.join(".")}`,
        value: withAt(valid, path, (parent, key) => {
          if (Array.isArray(parent)) parent.splice(Number(key), 1);
          else delete parent[key];
        }),
      })),
    );
  });
}
