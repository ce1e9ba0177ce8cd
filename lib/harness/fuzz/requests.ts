/**
 * Requests for the fuzzing of a route: its path parameters, query, headers and body generated from
 * the route's schemas (routes.ts) valid-shaped or mutated (zod-arbitrary.ts), and then broken the
 * ways an HTTP request breaks: huge, unicode, control-character and malformed percent-encoded path ids
 * and query strings, a missing or foreign practitioner, broken JSON, an empty or huge body, a wrong
 * content type. Each request says whether its parts conform to the route's schemas: one that does
 * not must be refused, and must leave the tables as they were (run.ts).
 */
import fc from "fast-check";
import type { z } from "zod";
import { FHIR_ID } from "#schemas/fhir.ts";
import { PRACTITIONER_HEADER } from "#schemas/internal.ts";
import { type DeclaredRoute, pathParametersOf, pathSchemaOf, type RouteFuzz } from "./routes.ts";
import { mutantOf, validOf } from "./zod-arbitrary.ts";

export interface FuzzRequest {
  method: string;
  /** The path below the node's prefix, as sent (percent-encoded) */
  path: string;
  /** The query string as sent, without "?" ("" for none) */
  query: string;
  /** Header names lower-case */
  headers: Record<string, string>;
  body?: string;
  /** What was generated, for a failure's report ("body: wrong type at name.0; content-type text/plain") */
  kind: string;
  /** Whether the path, query and body pass the route's schemas; one that does not must be refused */
  conforms: boolean;
  /** The path parameter made invalid, which the refusal must name */
  names?: string;
}

/** Who calls: the hospital's practitioners (valid-shaped requests name one), another hospital's, the hospital a city acts for */
export interface FuzzCaller {
  practitioners: string[];
  foreignPractitioner?: string;
  actingHospital?: string;
}

/** "." and ".." are dot segments: a URL resolves them before any route sees them (a client cannot send them as ids) */
const notDotSegment = (v: unknown) => v !== "." && v !== "..";

/** Path ids broken as attackers and broken clients send them: raw (already percent-encoded) as they go on the wire */
const BAD_PATH_IDS: { raw: string; label: string }[] = [
  { raw: "%E4%B8", label: "malformed percent-encoding" },
  { raw: "%zz", label: "malformed percent-encoding" },
  { raw: "%", label: "lone percent" },
  { raw: "..%2F..%2Fetc%2Fpasswd", label: "traversal" },
  { raw: "a%2Fb", label: "encoded slash" },
  { raw: "%00", label: "NUL" },
  { raw: "a%0D%0Ab", label: "CRLF" },
  { raw: encodeURIComponent("名字"), label: "unicode" },
  { raw: encodeURIComponent("𠀀𠀁"), label: "astral unicode" },
  { raw: encodeURIComponent("\u202e"), label: "bidi control" },
  { raw: "x".repeat(65), label: "65 characters" },
  { raw: "x".repeat(4000), label: "huge" },
  { raw: "%20", label: "blank" },
  { raw: encodeURIComponent("<script>"), label: "markup" },
  { raw: encodeURIComponent("$" + "{jndi:x}"), label: "template" },
];

/** Query strings broken beyond their values: appended to the generated one */
const BAD_QUERY_TAILS = ["%E4%B8=1", "x=%zz", "=", "&&&", "a[b]=1", `${"q".repeat(3000)}=1`, "_count=-1", "_count=99999999999999999999"];

const CONTENT_TYPES = [
  "application/fhir+json",
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/xml",
  "multipart/form-data; boundary=x",
  "application/x-www-form-urlencoded",
  "application/octet-stream",
  "",
];

const schemaAccepts = (schema: z.ZodType | undefined, value: unknown): boolean => !schema || schema.safeParse(value).success;

/** A query object's values as the wire carries them: strings, an array a repeated parameter */
function querySearchParams(value: unknown): URLSearchParams {
  const params = new URLSearchParams();
  if (!value || typeof value !== "object" || Array.isArray(value)) return params;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) params.append(k, typeof one === "string" ? one : (JSON.stringify(one) ?? ""));
  }
  return params;
}

/** What the route's query schema sees of a query string (as the handlers read it: one value, or several) */
function queryObject(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length > 1 ? values : values[0]!;
  }
  return out;
}

type Part<T> = fc.Arbitrary<T & { label: string }>;

function pathPart(declared: DeclaredRoute, fuzz: RouteFuzz): Part<{ path: string; ok: boolean; names?: string }> {
  const names = pathParametersOf(declared.route.path);
  const one = (name: string) => {
    const schema = pathSchemaOf(fuzz, name);
    return fc.oneof(
      {
        weight: 3,
        arbitrary: validOf(schema)
          .filter(notDotSegment)
          .map((v) => ({ raw: encodeURIComponent(String(v)), value: String(v), bad: false })),
      },
      { weight: 1, arbitrary: fc.constantFrom(...BAD_PATH_IDS).map((b) => ({ raw: b.raw, value: undefined, bad: true, label: b.label })) },
      {
        weight: 1,
        arbitrary: fc
          .string({ minLength: 1, maxLength: 80 })
          .filter(notDotSegment)
          .map((s) => ({ raw: encodeURIComponent(s), value: s, bad: false })),
      },
    );
  };
  return fc.tuple(...names.map(one)).map((values) => {
    let path = declared.route.path;
    let ok = true;
    let broken: string | undefined;
    const labels: string[] = [];
    values.forEach((v, i) => {
      const name = names[i]!;
      path = path.replace(`{${name}}`, v.raw);
      const valid = !v.bad && v.value !== undefined && schemaAccepts(pathSchemaOf(fuzz, name), v.value);
      if (!valid) {
        ok = false;
        // the edge refuses an id that is no FHIR id before anything else, naming it; a FHIR id the route's
        // own schema refuses (an EMPI) may be refused later, after another part of the request
        if (v.bad || !FHIR_ID.test(v.value ?? "")) broken ??= name;
        labels.push(`path ${name}: ${"label" in v ? v.label : JSON.stringify(v.value?.slice(0, 40))}`);
      }
    });
    return { path, ok, ...(broken ? { names: broken } : {}), label: labels.join("; ") };
  });
}

function queryPart(fuzz: RouteFuzz): Part<{ query: string; ok: boolean }> {
  const schema = fuzz.query;
  const generated: fc.Arbitrary<{ value: unknown; label: string }> = schema
    ? fc.oneof(
        { weight: 2, arbitrary: validOf(schema).map((value) => ({ value, label: "" })) },
        { weight: 2, arbitrary: mutantOf(schema).map((m) => ({ value: m.value, label: `query ${m.kind}` })) },
      )
    : fc.oneof(
        { weight: 4, arbitrary: fc.constant({ value: {}, label: "" }) },
        {
          weight: 1,
          arbitrary: fc
            .dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 3 })
            .map((value) => ({ value, label: "query unexpected" })),
        },
      );
  return fc.tuple(generated, fc.option(fc.constantFrom(...BAD_QUERY_TAILS), { freq: 6 })).map(([g, tail]) => {
    const params = querySearchParams(g.value);
    const text = [params.toString(), tail ?? ""].filter(Boolean).join("&");
    const ok = schemaAccepts(schema, queryObject(new URLSearchParams(text)));
    return { query: text, ok, label: [g.label, tail ? `query tail ${tail.slice(0, 30)}` : ""].filter(Boolean).join("; ") };
  });
}

function bodyPart(fuzz: RouteFuzz): Part<{ body?: string; ok: boolean }> {
  const schema = fuzz.body;
  const judged = (text: string | undefined, label: string) => {
    let value: unknown;
    let json = true;
    if (text !== undefined && text !== "") {
      try {
        value = JSON.parse(text);
      } catch {
        json = false;
      }
    }
    return { ...(text === undefined ? {} : { body: text }), ok: json && schemaAccepts(schema, value), label };
  };
  if (!schema)
    return fc.oneof(
      { weight: 6, arbitrary: fc.constant(judged(undefined, "")) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => judged(JSON.stringify(v), "unexpected body")) },
      { weight: 1, arbitrary: fc.string({ maxLength: 50 }).map((s) => judged(s, "unexpected text body")) },
    );
  return fc.oneof(
    { weight: 4, arbitrary: validOf(schema).map((v) => judged(JSON.stringify(v), "body valid-shaped")) },
    { weight: 6, arbitrary: mutantOf(schema).map((m) => judged(JSON.stringify(m.value), `body ${m.kind}`)) },
    {
      weight: 2,
      arbitrary: fc.tuple(validOf(schema), fc.nat(), fc.constantFrom("cut", "garbage", "trailing", "bom", "utf16")).map(([v, at, how]) => {
        const text = JSON.stringify(v) ?? "{}";
        const broken =
          how === "cut"
            ? text.slice(0, at % Math.max(1, text.length))
            : how === "garbage"
              ? `${text.slice(0, 1)}\u0000}{${text.slice(1)}`
              : how === "trailing"
                ? `${text},`
                : how === "bom"
                  ? `\ufeff${text}`
                  : Buffer.from(text, "utf16le").toString("latin1");
        return judged(broken, `body broken JSON (${how})`);
      }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom("", " ", "null", "[]", "{}", '"x"', "1e999").map((t) => judged(t, `body ${JSON.stringify(t)}`)),
    },
    { weight: 1, arbitrary: fc.integer({ min: 100_000, max: 400_000 }).map((n) => judged(`{"x":"${"y".repeat(n)}"}`, "body huge")) },
  );
}

function headerPart(declared: DeclaredRoute, fuzz: RouteFuzz, caller: FuzzCaller): Part<{ headers: Record<string, string> }> {
  const hospitalRoute = declared.auth.kind === "lambda" && declared.node === "city";
  const practitioner: fc.Arbitrary<{ value?: string; label: string }> = hospitalRoute
    ? fc.oneof(
        { weight: 5, arbitrary: fc.constantFrom(...caller.practitioners).map((value) => ({ value, label: "" })) },
        { weight: 1, arbitrary: fc.constant({ label: "no practitioner" }) },
        ...(caller.foreignPractitioner
          ? [{ weight: 1, arbitrary: fc.constant({ value: caller.foreignPractitioner, label: "foreign practitioner" }) }]
          : []),
        { weight: 1, arbitrary: fc.string({ maxLength: 70 }).map((value) => ({ value, label: `practitioner ${JSON.stringify(value)}` })) },
        { weight: 1, arbitrary: fc.constant({ value: "p".repeat(5000), label: "practitioner huge" }) },
      )
    : fc.constant({ label: "" });
  const named = Object.entries(fuzz.headers ?? {}).map(([name, schema]) =>
    fc.oneof(
      {
        weight: 4,
        arbitrary: (name === "x-hhc-hospital" && caller.actingHospital ? fc.constant(caller.actingHospital) : validOf(schema)).map((v) => ({
          name,
          value: String(v) as string | undefined,
          label: "",
        })),
      },
      { weight: 1, arbitrary: fc.constant({ name, value: undefined as string | undefined, label: `no ${name}` }) },
      {
        weight: 1,
        arbitrary: fc
          .string({ maxLength: 70 })
          .map((value) => ({ name, value: value as string | undefined, label: `${name} ${JSON.stringify(value)}` })),
      },
    ),
  );
  return fc.tuple(practitioner, fc.constantFrom(...CONTENT_TYPES), fc.tuple(...named)).map(([p, contentType, values]) => {
    const headers: Record<string, string> = {};
    if (p.value !== undefined) headers[PRACTITIONER_HEADER] = p.value;
    if (contentType) headers["content-type"] = contentType;
    for (const v of values) if (v.value !== undefined) headers[v.name] = v.value;
    const labels = [
      p.label,
      ...values.map((v) => v.label),
      contentType === "application/fhir+json" ? "" : `content-type ${JSON.stringify(contentType)}`,
    ];
    return { headers, label: labels.filter(Boolean).join("; ") };
  });
}

/** Requests for one route: valid-shaped and broken ones, each part independently */
export function requestsOf(declared: DeclaredRoute, fuzz: RouteFuzz, caller: FuzzCaller): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(pathPart(declared, fuzz), queryPart(fuzz), bodyPart(fuzz), headerPart(declared, fuzz, caller))
    .map(([path, query, body, headers]) => {
      const request: FuzzRequest = {
        method: declared.route.method,
        path: path.path,
        query: query.query,
        headers: headers.headers,
        ...(body.body === undefined ? {} : { body: body.body }),
        kind: [path.label, query.label, body.label, headers.label].filter(Boolean).join("; ") || "valid-shaped",
        conforms: path.ok && query.ok && body.ok,
        ...(path.names ? { names: path.names } : {}),
      };
      return fuzz.tame ? fuzz.tame(request) : request;
    });
}
