/** The fuzzing's generators: valid-shaped inputs mostly pass their schema; every mutant is still JSON. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { mutantOf, validOf } from "#lib/harness/fuzz/zod-arbitrary.ts";

const sample = z.object({
  resourceType: z.literal("Thing"),
  id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
  name: z.string().min(1).max(20),
  count: z.number().int().min(0).max(10),
  kind: z.enum(["a", "b"]).optional(),
  when: z.iso.datetime(),
  tags: z
    .array(z.object({ code: z.string().min(1) }))
    .min(1)
    .max(3),
  choice: z.discriminatedUnion("k", [z.object({ k: z.literal("x"), x: z.boolean() }), z.object({ k: z.literal("y") })]),
  note: z.string().nullable(),
  extra: z.record(z.string(), z.number()).optional(),
});

describe("validOf", () => {
  it("generates inputs the schema accepts", () => {
    const values = fc.sample(validOf(sample), { numRuns: 200, seed: 42 });
    const accepted = values.filter((v) => sample.safeParse(v).success).length;
    expect(accepted).toBe(values.length);
  });
  it("follows recursive schemas to a bounded depth", () => {
    type Node = { children?: Node[] };
    const node: z.ZodType<Node> = z.lazy(() => z.object({ children: z.array(node).optional() }));
    expect(fc.sample(validOf(node), { numRuns: 20, seed: 1 }).every((v) => node.safeParse(v).success)).toBe(true);
  });
});

describe("mutantOf", () => {
  it("mostly breaks the input, in the kinds the fuzzing promises", () => {
    const mutants = fc.sample(mutantOf(sample), { numRuns: 500, seed: 7 });
    const refused = mutants.filter((m) => !sample.safeParse(m.value).success);
    // valid-shaped ones, extra fields (stripped) and missing optional fields still pass: about half
    expect(refused.length).toBeGreaterThan(mutants.length * 0.4);
    // a wrong root, a missing required field, and a wrong value where no wrong value can pass, never pass
    const required = ["resourceType", "id", "name", "count", "when", "tags", "choice", "note"];
    const strict = ["resourceType", "when", "tags", "choice"];
    const breaking = mutants.filter(
      (m) =>
        m.kind === "wrong root" || required.some((k) => m.kind === `missing ${k}`) || strict.some((k) => m.kind === `wrong type at ${k}`),
    );
    expect(breaking.length).toBeGreaterThan(50);
    expect(breaking.filter((m) => sample.safeParse(m.value).success).map((m) => m.kind)).toEqual([]);
    const kinds = new Set(mutants.map((m) => m.kind.replace(/ (at|of) .*|^missing .*/, (x) => (x.startsWith("missing") ? "missing" : ""))));
    for (const kind of ["wrong root", "valid-shaped", "extra field", "wrong type", "missing"]) expect(kinds).toContain(kind);
    // every mutant can be sent as a JSON body
    for (const m of mutants) expect(() => JSON.stringify(m.value)).not.toThrow();
  });
});
