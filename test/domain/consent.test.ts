/**
 * The default consent policy (domain/consent/policy.ts) and a recorded Consent's checks
 * (domain/consent/consent.ts), pure: who may see which item of a resident's record, and why.
 */
import { describe, expect, it } from "vitest";
import { checkConsent, ruleOf } from "#domain/consent/consent.ts";
import {
  ageInYears,
  CONSENT_POLICY,
  type DecisionFacts,
  decideItem,
  decideResident,
  type ReadItem,
  sensitiveLabelsOf,
} from "#domain/consent/policy.ts";
import { DomainError } from "#domain/errors.ts";
import { consentOf } from "#lib/world/index.ts";
import { type ConsentInput, consentSchema } from "#schemas/consent.ts";
import type { ConsentRule } from "#schemas/privacy.ts";

const NOW = new Date("2026-12-04T08:00:00Z");
const reader = { hospitalId: "bd001", purpose: "TREAT" as const };
const plain: ReadItem = { id: "ts-doc1", hospitalId: "ts001", labels: [] };
const hiv: ReadItem = { id: "ts-doc2", hospitalId: "ts001", labels: ["HIV"] };
const rule = (id: string, dateTime: string, over: Partial<ConsentRule>): ConsentRule => ({
  id,
  empi: "E1",
  status: "active",
  dateTime,
  type: "permit",
  ...over,
});
const facts = (over: Partial<DecisionFacts> = {}): DecisionFacts => ({ relationship: true, consents: [], ...over });

describe("the default policy", () => {
  it("needs a treatment relationship to read another hospital's item; a hospital always reads its own", () => {
    expect(decideItem(facts(), reader, plain, NOW)).toMatchObject({ permit: true, basis: "relationship" });
    expect(decideItem(facts({ relationship: false }), reader, plain, NOW)).toMatchObject({ permit: false, basis: "no-relationship" });
    expect(decideItem(facts({ relationship: false }), reader, { ...hiv, hospitalId: "bd001" }, NOW)).toMatchObject({
      permit: true,
      basis: "author",
    });
  });

  it("hides a sensitive item until a permit names the reader (or everyone) for its label", () => {
    expect(decideItem(facts(), reader, hiv, NOW)).toMatchObject({ permit: false, basis: "sensitive" });
    const other = rule("c1", "2026-12-01T00:00:00Z", { labels: ["HIV"], actors: ["ts009"] });
    expect(decideItem(facts({ consents: [other] }), reader, hiv, NOW).permit).toBe(false);
    const psy = rule("c2", "2026-12-01T00:00:00Z", { labels: ["PSY"] });
    expect(decideItem(facts({ consents: [psy] }), reader, hiv, NOW).permit).toBe(false);
    const named = rule("c3", "2026-12-01T00:00:00Z", { labels: ["HIV"], actors: ["bd001"] });
    expect(decideItem(facts({ consents: [named] }), reader, hiv, NOW)).toEqual({ permit: true, basis: "relationship", consents: ["c3"] });
    const everyone = rule("c4", "2026-12-01T00:00:00Z", { labels: ["HIV"] });
    expect(decideItem(facts({ consents: [everyone] }), reader, hiv, NOW).permit).toBe(true);
    // …still needing the relationship
    expect(decideItem(facts({ relationship: false, consents: [everyone] }), reader, hiv, NOW).permit).toBe(false);
  });

  it("lets a deny block the organizations it names (or everyone but the author) for its period, the latest consent winning", () => {
    const deny = rule("d1", "2026-12-02T00:00:00Z", { type: "deny", period: { start: "2026-12-01", end: "2026-12-31" } });
    expect(decideItem(facts({ consents: [deny] }), reader, plain, NOW)).toEqual({ permit: false, basis: "deny-consent", consents: ["d1"] });
    expect(decideItem(facts({ consents: [deny] }), { ...reader, hospitalId: "ts001" }, plain, NOW).permit).toBe(true); // the author
    const elsewhere = { ...deny, actors: ["hd001"] };
    expect(decideItem(facts({ consents: [elsewhere] }), reader, plain, NOW).permit).toBe(true);
    const over = { ...deny, period: { start: "2026-01-01", end: "2026-11-30" } };
    expect(decideItem(facts({ consents: [over] }), reader, plain, NOW).permit).toBe(true);
    const revoked = { ...deny, status: "inactive" as const };
    expect(decideItem(facts({ consents: [revoked] }), reader, plain, NOW).permit).toBe(true);
    const laterPermit = rule("p1", "2026-12-03T00:00:00Z", {});
    expect(decideItem(facts({ consents: [deny, laterPermit] }), reader, plain, NOW)).toMatchObject({ permit: true, basis: "consent" });
    const earlierPermit = rule("p0", "2026-11-03T00:00:00Z", {});
    expect(decideItem(facts({ consents: [earlierPermit, deny] }), reader, plain, NOW).permit).toBe(false);
  });

  it("applies a consent only to the purposes it names; other purposes than treatment need a permit", () => {
    const research = { ...reader, purpose: "HRESCH" as const };
    expect(decideItem(facts(), research, plain, NOW)).toMatchObject({ permit: false, basis: "no-relationship" });
    const permit = rule("r1", "2026-12-01T00:00:00Z", { purposes: ["HRESCH"] });
    expect(decideItem(facts({ consents: [permit] }), research, plain, NOW).permit).toBe(true);
    const denyResearch = rule("r2", "2026-12-02T00:00:00Z", { type: "deny", purposes: ["HRESCH"] });
    expect(decideItem(facts({ consents: [denyResearch] }), reader, plain, NOW).permit).toBe(true);
  });

  it("opens everything, sensitive and denied included, to a break-the-glass until it expires", () => {
    const deny = rule("d1", "2026-12-02T00:00:00Z", { type: "deny" });
    const open = facts({ relationship: false, consents: [deny], breakGlass: { id: "bg1", expires: "2026-12-04T09:00:00Z" } });
    expect(decideItem(open, reader, hiv, NOW)).toMatchObject({ permit: true, basis: "break-glass" });
    expect(decideResident(open, reader, ["HIV"], NOW).decision).toBe("permit");
    expect(decideItem(open, reader, hiv, new Date("2026-12-04T09:00:00Z")).permit).toBe(false);
  });

  it("opens the supporting documents of an open telemedicine Task to its owner", () => {
    expect(decideItem(facts({ relationship: false, telemedicineDocuments: ["ts-doc2"] }), reader, hiv, NOW).basis).toBe("telemedicine");
  });

  it("decides for the whole record: permit, permit-with-filter for labels not permitted, deny", () => {
    expect(decideResident(facts(), reader, [], NOW).decision).toBe("permit");
    expect(decideResident(facts(), reader, ["PSY"], NOW).decision).toBe("permit-with-filter");
    const psy = rule("c1", "2026-12-01T00:00:00Z", { labels: ["PSY"] });
    expect(decideResident(facts({ consents: [psy] }), reader, ["PSY"], NOW)).toEqual({
      decision: "permit",
      basis: "relationship",
      consents: ["c1"],
    });
    expect(decideResident(facts({ relationship: false }), reader, [], NOW).decision).toBe("deny");
    const deny = rule("d1", "2026-12-02T00:00:00Z", { type: "deny" });
    expect(decideResident(facts({ consents: [deny] }), reader, [], NOW)).toEqual({
      decision: "deny",
      basis: "deny-consent",
      consents: ["d1"],
    });
  });

  it("reads sensitive labels from a securityLabel: confidentiality R and the sensitivity codes, nothing else", () => {
    const labels = [
      { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", code: "R" }] },
      { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", code: "N" }] },
      { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "PSY" }] },
      { coding: [{ system: "http://example.org/other", code: "HIV" }] },
    ];
    expect(sensitiveLabelsOf({ securityLabel: labels })).toEqual(["PSY", "R"]);
    expect(sensitiveLabelsOf({})).toEqual([]);
  });
});

describe("a recorded Consent", () => {
  const input = (over: Record<string, unknown> = {}): ConsentInput =>
    consentSchema.parse({ ...consentOf({ system: "s", value: "v" }, { type: "permit", actors: ["bd001"], labels: ["HIV"] }), ...over });
  const refusal = (run: () => void) => {
    try {
      run();
    } catch (error) {
      return error instanceof DomainError ? { kind: error.kind, expression: error.issues[0]?.expression } : error;
    }
    return undefined;
  };

  it("becomes the rule the decider reads", () => {
    expect(ruleOf("c1", "E1", input({ dateTime: "2026-12-01T00:00:00Z" }))).toEqual({
      id: "c1",
      empi: "E1",
      status: "active",
      dateTime: "2026-12-01T00:00:00Z",
      type: "permit",
      actors: ["bd001"],
      labels: ["HIV"],
    });
  });

  it("is refused without the signed form, with another scope, or inactive (400 naming the field)", () => {
    const { sourceAttachment: _, ...unsigned } = input() as ConsentInput & { sourceAttachment?: unknown };
    expect(refusal(() => checkConsent(unsigned as ConsentInput, undefined, "2026-12-04"))).toEqual({
      kind: "invalid",
      expression: "Consent.sourceAttachment",
    });
    expect(refusal(() => checkConsent(input({ scope: { coding: [{ code: "research" }] } }), undefined, "2026-12-04"))).toMatchObject({
      expression: "Consent.scope",
    });
    expect(refusal(() => checkConsent(input({ status: "inactive" }), undefined, "2026-12-04"))).toMatchObject({
      expression: "Consent.status",
    });
  });

  it("of a resident under 14 is signed by a guardian: one the minor signed alone is refused (422)", () => {
    const minor = "2015-06-01";
    expect(ageInYears(minor, "2026-12-04")).toBe(11);
    expect(refusal(() => checkConsent(input(), minor, "2026-12-04"))).toEqual({ kind: "unprocessable", expression: "Consent.performer" });
    const signed = consentSchema.parse(
      consentOf({ system: "s", value: "v" }, { type: "permit", guardian: { residentId: "130602198001010011", relationship: "MTH" } }),
    );
    expect(refusal(() => checkConsent(signed, minor, "2026-12-04"))).toBeUndefined();
    expect(refusal(() => checkConsent(input(), "2012-12-04", "2026-12-04"))).toBeUndefined(); // 14 today
    expect(CONSENT_POLICY.minorAgeYears).toBe(14);
  });
});
