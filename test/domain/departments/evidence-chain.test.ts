/** The evidence log's chain and signatures, pure (lambdas/domain/evidence/): sealing, verification, the fail-closed age. */
import { generateKeyPairSync, sign } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BatchHead,
  canonicalJson,
  type EvidenceEntry,
  GENESIS_HASH,
  headBytes,
  type SealedEntry,
  sealBatch,
  sealingFresh,
  verifyChain,
} from "#domain/evidence/chain.ts";
import { ECDSA_P256, headVerifier } from "#domain/evidence/signature.ts";

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const spki = publicKey.export({ format: "der", type: "spki" }).toString("base64");
const KEY = { keyId: "test", algorithm: ECDSA_P256 };
const signHead = (head: BatchHead) => sign("sha256", headBytes(head), privateKey).toString("base64");

const entry = (i: number, at = `2026-12-04T10:00:${String(i % 60).padStart(2, "0")}.000Z`): EvidenceEntry => ({
  messageId: `m-${i}`,
  leg: i % 2 ? "in" : "out|public-security",
  direction: i % 2 ? "in" : "out",
  service: "death-notification",
  source: i % 2 ? "public-security" : "health-cloud",
  destination: i % 2 ? "health-cloud" : "public-security",
  requestHash: Buffer.alloc(64, i).toString("base64"),
  responseHash: Buffer.alloc(64, i + 1).toString("base64"),
  status: 200,
  requestAt: at,
  responseAt: at,
});

/** Two signed batches of `n` and `m` entries, chained from the genesis */
function chain(n: number, m: number) {
  const first = sealBatch(
    { lastSeq: 0, lastHash: GENESIS_HASH },
    Array.from({ length: n }, (_, i) => entry(i)),
    "2026-12-04T10:01:00.000Z",
    KEY,
  );
  const second = sealBatch(
    { lastSeq: first.head.lastSeq, lastHash: first.head.lastHash },
    Array.from({ length: m }, (_, i) => entry(n + i)),
    "2026-12-04T10:02:00.000Z",
    KEY,
  );
  return [first, second].map((b) => ({ head: b.head, signature: signHead(b.head), entries: b.entries }));
}

const verifier = headVerifier(spki);
const FIELDS = ["messageId", "leg", "service", "source", "destination", "requestHash", "responseHash", "requestAt", "responseAt"] as const;

describe("sealing", () => {
  it("numbers entries after the chain's last, in (time, message id, leg) order, each hash over the previous one", () => {
    const late = entry(1, "2026-12-04T10:00:59.000Z");
    const early = entry(2, "2026-12-04T10:00:01.000Z");
    const { entries, head } = sealBatch({ lastSeq: 41, lastHash: GENESIS_HASH }, [late, early], "2026-12-04T10:01:00.000Z", KEY);
    expect(entries.map((e) => [e.seq, e.messageId])).toEqual([
      [42, "m-2"],
      [43, "m-1"],
    ]);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
    expect(head).toMatchObject({ firstSeq: 42, lastSeq: 43, prevHash: GENESIS_HASH, lastHash: entries[1]!.hash, entryCount: 2 });
  });

  it("hashes canonical JSON: the same entry whatever its keys' order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: "x" } })).toBe('{"a":{"c":"x","d":[2,{"e":0,"f":1}]},"b":1}');
  });
});

describe("verification", () => {
  it("verifies an untouched chain", () => {
    expect(verifyChain(chain(3, 4), verifier)).toBeUndefined();
  });

  it("names exactly the entry whose field changed by one character (any entry, any field)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.constantFrom(...FIELDS), fc.nat(), (index, field, at) => {
        const batches = chain(3, 4);
        const all = batches.flatMap((b) => b.entries as SealedEntry[]);
        const target = all[index]!;
        const value = String(target[field]);
        const i = at % value.length;
        const flipped = value.charAt(i) === "A" ? "B" : "A";
        (target as unknown as Record<string, string>)[field] = value.slice(0, i) + flipped + value.slice(i + 1);
        const failure = verifyChain(batches, verifier);
        expect(failure?.seq).toBe(index + 1);
        expect(failure?.reason).toBe("its content does not hash to its stored hash");
      }),
      { numRuns: 60 },
    );
  });

  it("fails a batch whose head's signature does not verify, or that another key signed", () => {
    const batches = chain(2, 2);
    batches[1]!.head = { ...batches[1]!.head, sealedAt: "2026-12-04T10:03:00.000Z" };
    expect(verifyChain(batches, verifier)).toMatchObject({ batch: 3, reason: "the batch head's signature does not verify" });
    const other = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "der", type: "spki" }).toString("base64");
    expect(verifyChain(chain(1, 1), headVerifier(other))).toMatchObject({ batch: 1 });
  });

  it("fails an entry removed, reordered or re-numbered", () => {
    const removed = chain(3, 1);
    removed[0]!.entries = removed[0]!.entries.slice(1);
    expect(verifyChain(removed, verifier)?.reason).toMatch(/seals 3 entries, 2 are stored/);
    const reordered = chain(3, 1);
    reordered[0]!.entries = [reordered[0]!.entries[1]!, reordered[0]!.entries[0]!, reordered[0]!.entries[2]!];
    expect(verifyChain(reordered, verifier)).toMatchObject({ seq: 2, reason: "sequence 2 where 1 was due" });
  });

  it("fails a batch that does not follow the previous one (a fork, or a batch left out)", () => {
    const [first, second] = chain(2, 2);
    const fork = sealBatch({ lastSeq: 2, lastHash: GENESIS_HASH }, [entry(9)], "2026-12-04T10:02:00.000Z", KEY);
    expect(verifyChain([first!, { head: fork.head, signature: signHead(fork.head), entries: fork.entries }], verifier)).toMatchObject({
      batch: 3,
    });
    // a verification from a date starts at any batch: anchored by its own signed prevHash
    expect(verifyChain([second!], verifier)).toBeUndefined();
  });
});

describe("the fail-closed age", () => {
  it("is fresh up to 4 hours after the last sealing run, and before any run", () => {
    const last = "2026-12-04T10:00:00.000Z";
    expect(sealingFresh(last, new Date("2026-12-04T14:00:00.000Z"))).toBe(true);
    expect(sealingFresh(last, new Date("2026-12-04T14:00:00.001Z"))).toBe(false);
    expect(sealingFresh(undefined, new Date())).toBe(true);
  });
});
