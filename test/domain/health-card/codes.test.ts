import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base32, cardIdOf, cardKeyOf, codeMac, documentKeyOf, dynamicCode, judgeCode, parseCode, staticCode } from "#domain/health-card.ts";
import { CARD_ID, CARD_KEY, cardStatusSchema, issueCardSchema, verifyCardSchema } from "#schemas/health-card.ts";
import { RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";

const SECRET = Buffer.from("0f".repeat(32), "hex");
const DOC = { system: RESIDENT_ID_SYSTEM, value: "13060219900307001X" };
const NOW = 1_800_000_000;

describe("the primitives", () => {
  it("SM3 is GB/T 32905's (its published vector for 'abc')", () => {
    expect(createHash("sm3").update("abc").digest("hex")).toBe("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  });

  it("base32 is RFC 4648's (its test vectors, without padding)", () => {
    const vectors = ["", "MY", "MZXQ", "MZXW6", "MZXW6YQ", "MZXW6YTB", "MZXW6YTBOI"];
    for (const [i, expected] of vectors.entries()) expect(base32(Buffer.from("foobar".slice(0, i)))).toBe(expected);
  });
});

describe("card id and key", () => {
  it("is 32 base32 characters, the same for the same document and generation, other for the next", () => {
    const id = cardIdOf(SECRET, DOC, 1);
    expect(id).toMatch(CARD_ID);
    expect(cardIdOf(SECRET, { ...DOC, value: " 13060219900307001x " }, 1)).toBe(id);
    expect(cardIdOf(SECRET, DOC, 2)).not.toBe(id);
    expect(cardIdOf(Buffer.from("10".repeat(32), "hex"), DOC, 1)).not.toBe(id);
    expect(cardIdOf(SECRET, { system: "https://hebei.health/sid/passport", value: DOC.value }, 1)).not.toBe(id);
    expect(id).not.toContain("130602");
  });

  it("never repeats across documents and generations (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 18 }),
        fc.string({ minLength: 1, maxLength: 18 }),
        fc.integer({ min: 1, max: 99 }),
        (a, b, g) => {
          fc.pre(a.trim().toUpperCase() !== b.trim().toUpperCase());
          expect(cardIdOf(SECRET, { system: DOC.system, value: a }, g)).not.toBe(cardIdOf(SECRET, { system: DOC.system, value: b }, g));
        },
      ),
    );
  });

  it("derives a 64-hex key per card, and a document key that is not the number", () => {
    const id = cardIdOf(SECRET, DOC, 1);
    expect(cardKeyOf(SECRET, id)).toMatch(CARD_KEY);
    expect(cardKeyOf(SECRET, cardIdOf(SECRET, DOC, 2))).not.toBe(cardKeyOf(SECRET, id));
    expect(documentKeyOf(SECRET, DOC)).toMatch(/^[0-9a-f]{64}$/);
    expect(() => cardIdOf(SECRET, DOC, 0)).toThrow(RangeError);
  });
});

describe("codes", () => {
  const cardId = cardIdOf(SECRET, DOC, 1);
  const key = cardKeyOf(SECRET, cardId);

  it("a dynamic code is HC1:<cardId>:<seconds>:<nonce>:<mac>, the mac the first 32 hex of HMAC-SM3 over the rest", () => {
    const code = dynamicCode(cardId, key, NOW, "abcDEF12");
    const [prefix, id, seconds, nonce, mac] = code.split(":");
    expect([prefix, id, seconds, nonce]).toEqual(["HC1", cardId, String(NOW), "abcDEF12"]);
    expect(mac).toBe(codeMac(key, `HC1:${cardId}:${NOW}:abcDEF12`));
    expect(mac).toMatch(/^[0-9a-f]{32}$/);
    expect(parseCode(code)).toMatchObject({ kind: "dynamic", cardId, seconds: NOW, nonce: "abcDEF12", mac });
  });

  it("matches the documented example, computed independently with the OpenSSL command line", () => {
    // echo -n 'HC1:ABCDEFGHIJKLMNOPQRSTUVWXYZ234567:1800000000:abcdefgh' | openssl dgst -sm3 -mac HMAC -macopt hexkey:abab…ab
    expect(dynamicCode("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "ab".repeat(32), 1_800_000_000, "abcdefgh")).toBe(
      "HC1:ABCDEFGHIJKLMNOPQRSTUVWXYZ234567:1800000000:abcdefgh:ec3a1b176af291f23befe13854c61f38",
    );
  });

  it("parses a static code, any case of the card id", () => {
    expect(parseCode(staticCode(cardId))).toEqual({ kind: "static", cardId });
    expect(parseCode(`HC1:${cardId.toLowerCase()}`)).toEqual({ kind: "static", cardId });
  });

  it.each([
    ["", "starts HC1"],
    [`HC2:${"A".repeat(32)}`, "starts HC1"],
    [`HC1:${"A".repeat(31)}`, "card id"],
    [`HC1:${"A".repeat(32)}1`, "card id"],
    [`HC1:${"A".repeat(32)}:${NOW}`, "dynamic code is"],
    [`HC1:${"A".repeat(32)}:-5:abcdefgh:${"0".repeat(32)}`, "unix seconds"],
    [`HC1:${"A".repeat(32)}:${NOW}:short:${"0".repeat(32)}`, "nonce"],
    [`HC1:${"A".repeat(32)}:${NOW}:${"n".repeat(33)}:${"0".repeat(32)}`, "nonce"],
    [`HC1:${"A".repeat(32)}:${NOW}:abcdefgh:${"0".repeat(31)}`, "mac"],
    [`HC1:${"A".repeat(32)}:${NOW}:abcdefgh:${"A".repeat(32)}`, "mac"],
  ])("refuses %j as malformed (%s)", (code, reason) => {
    const parsed = parseCode(code);
    expect(parsed.kind).toBe("malformed");
    expect(parsed.kind === "malformed" && parsed.reason).toContain(reason);
  });

  it("judges in the documented order: mac, card state, static where dynamic is required, time", () => {
    const active = { status: "active" as const, cardKeyHex: key };
    const dynamic = parseCode(dynamicCode(cardId, key, NOW, "abcdefgh"));
    if (dynamic.kind === "malformed") throw new Error("unexpected");
    const stat = parseCode(staticCode(cardId));
    if (stat.kind === "malformed") throw new Error("unexpected");
    expect(judgeCode(dynamic, active, "pharmacy", NOW).outcome).toBe("accepted");
    // another card's key: invalid, even on a paused card and an old code
    const other = cardKeyOf(SECRET, cardIdOf(SECRET, DOC, 2));
    expect(judgeCode(dynamic, { status: "paused", cardKeyHex: other }, "pharmacy", NOW + 3600).outcome).toBe("invalid");
    // state before the time
    expect(judgeCode(dynamic, { ...active, status: "lost" }, "pharmacy", NOW + 3600).outcome).toBe("card-inactive");
    expect(judgeCode(stat, { ...active, status: "paused" }, "payment", NOW).outcome).toBe("card-inactive");
    for (const step of ["pharmacy", "payment", "inpatient"] as const)
      expect(judgeCode(stat, active, step, NOW).outcome).toBe("dynamic-code-required");
    for (const step of ["registration", "consultation", "examination"] as const)
      expect(judgeCode(stat, active, step, NOW).outcome).toBe("accepted");
  });

  it("a dynamic code serves 5 minutes from its time and up to 60 s ahead of the clock", () => {
    const card = { status: "active" as const, cardKeyHex: key };
    const at = (seconds: number) => {
      const parsed = parseCode(dynamicCode(cardId, key, seconds, "abcdefgh"));
      if (parsed.kind === "malformed") throw new Error("unexpected");
      return judgeCode(parsed, card, "registration", NOW).outcome;
    };
    expect(at(NOW - 300)).toBe("accepted");
    expect(at(NOW - 301)).toBe("expired");
    expect(at(NOW + 60)).toBe("accepted");
    expect(at(NOW + 61)).toBe("expired");
  });

  it("any change to a dynamic code is refused (property: tampering)", () => {
    const code = dynamicCode(cardId, key, NOW, "abcdefgh");
    fc.assert(
      fc.property(
        fc.integer({ min: 4, max: code.length - 1 }),
        fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ234567abcdef0189"),
        (at, char) => {
          fc.pre(code[at] !== char && code[at] !== ":" && code[at]?.toUpperCase() !== char.toUpperCase());
          const tampered = code.slice(0, at) + char + code.slice(at + 1);
          const parsed = parseCode(tampered);
          if (parsed.kind === "malformed") return;
          expect(judgeCode(parsed, { status: "active", cardKeyHex: key }, "registration", NOW).outcome).not.toBe("accepted");
        },
      ),
    );
  });
});

describe("the Parameters bodies", () => {
  const p = (parameter: unknown[]) => ({ resourceType: "Parameters", parameter });

  it("issue: a resident ID number, or another document with the EMPI; each refusal names its field", () => {
    expect(issueCardSchema.parse(p([{ name: "identifier", valueIdentifier: DOC }]))).toEqual({ identifier: DOC });
    const passport = { system: "https://hebei.health/sid/passport", value: "USA-123456789" };
    expect(issueCardSchema.safeParse(p([{ name: "identifier", valueIdentifier: passport }])).error?.issues[0]?.path).toEqual(["patient"]);
    expect(
      issueCardSchema.safeParse(
        p([
          { name: "identifier", valueIdentifier: passport },
          { name: "patient", valueIdentifier: { system: "https://hebei.health/sid/empi", value: "E0000000000001" } },
          { name: "reissue", valueBoolean: true },
        ]),
      ).success,
    ).toBe(true);
    const bad = issueCardSchema.safeParse(
      p([
        { name: "identifier", valueIdentifier: { ...passport, value: "123" } },
        { name: "patient", valueIdentifier: { system: "x", value: "y" } },
      ]),
    );
    expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual(["identifier.value", "patient.system"]);
    expect(
      issueCardSchema.safeParse(p([{ name: "identifier", valueIdentifier: { system: "urn:x", value: "1" } }])).error?.issues[0]?.path,
    ).toEqual(["identifier", "system"]);
  });

  it("verify: code, terminal and careStep as valueString or valueCode; a step outside the list is named", () => {
    const body = p([
      { name: "code", valueString: "HC1:X" },
      { name: "terminal", valueString: "t-1" },
      { name: "careStep", valueCode: "pharmacy" },
    ]);
    expect(verifyCardSchema.parse(body)).toEqual({ code: "HC1:X", terminal: "t-1", careStep: "pharmacy" });
    const wrong = p([
      { name: "code", valueString: "HC1:X" },
      { name: "terminal", valueString: "t-1" },
      { name: "careStep", valueCode: "surgery" },
    ]);
    expect(verifyCardSchema.safeParse(wrong).error?.issues[0]?.path).toEqual(["careStep"]);
    expect(
      verifyCardSchema.safeParse(
        p([
          { name: "code", valueString: "a" },
          { name: "code", valueString: "b" },
        ]),
      ).success,
    ).toBe(false);
  });

  it("status: a card id of any case, one of the four states, a reason", () => {
    const id = cardIdOf(SECRET, DOC, 1);
    const body = p([
      { name: "cardId", valueString: id.toLowerCase() },
      { name: "status", valueCode: "lost" },
      { name: "reason", valueString: "phone stolen" },
    ]);
    expect(cardStatusSchema.parse(body)).toEqual({ cardId: id, status: "lost", reason: "phone stolen" });
    expect(cardStatusSchema.safeParse(p([{ name: "cardId", valueString: "x" }])).error?.issues.map((i) => i.path[0])).toEqual([
      "cardId",
      "status",
      "reason",
    ]);
  });
});
