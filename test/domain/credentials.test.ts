import { describe, expect, it } from "vitest";
import { bearerToken, issueCredential, parseToken, secretMatches } from "#domain/credentials.ts";

describe("credentials", () => {
  it("issues a token whose secret matches only its own salted hash", () => {
    const a = issueCredential("bd001-seed");
    const b = issueCredential("bd001-seed");
    const parsedA = parseToken(a.token)!;
    expect(parsedA.credentialId).toBe("bd001-seed");
    expect(secretMatches(a.stored, parsedA.secret)).toBe(true);
    expect(secretMatches(b.stored, parsedA.secret)).toBe(false);
    // the stored record holds no plaintext
    expect(JSON.stringify(a.stored)).not.toContain(parsedA.secret);
    expect(a.stored.salt).not.toBe(b.stored.salt);
  });

  it("refuses a secret with one character changed", () => {
    const a = issueCredential("hs010-seed");
    const { secret } = parseToken(a.token)!;
    const flipped = `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    expect(secretMatches(a.stored, flipped)).toBe(false);
  });

  it.each(["", "hhc", "hhc.bd001.short", "Bearer hhc.x.y", "hhc.BD001.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"])(
    "does not parse %j as a token",
    (token) => {
      expect(parseToken(token)).toBeUndefined();
    },
  );

  it("reads the token from a Bearer header only", () => {
    expect(bearerToken("Bearer abc")).toBe("abc");
    expect(bearerToken("bearer  abc ")).toBe("abc");
    expect(bearerToken("Basic abc")).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it("refuses credential ids that are not URL-safe lower case", () => {
    expect(() => issueCredential("Bad Id")).toThrow(/credential id/);
  });
});
