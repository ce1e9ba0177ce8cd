/**
 * `evidence-verify`'s SM2 path (lib/ops/evidence-verify.ts, lib/ops/kms-verify.ts): heads KMS signed with
 * SM2DSA are checked by KMS Verify (node:crypto cannot check SM2 signatures); a narrow unit over a KMS
 * stand-in that verifies with a P-256 key, since there is no KMS here.
 */
import { generateKeyPairSync, sign, verify } from "node:crypto";
import { KMSInvalidSignatureException, type VerifyCommand } from "@aws-sdk/client-kms";
import { describe, expect, it } from "vitest";
import { type BatchHead, type EvidenceEntry, GENESIS_HASH, headBytes, sealBatch } from "#domain/evidence/chain.ts";
import { SM2 } from "#domain/evidence/signature.ts";
import { verifyEvidence } from "#lib/ops/evidence-verify.ts";
import { kmsHeadCheck } from "#lib/ops/kms-verify.ts";

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const KEY_ID = "arn:aws-cn:kms:cn-north-1:111122223333:key/evidence";
const entry = (i: number): EvidenceEntry => ({
  messageId: `m-${i}`,
  leg: "in",
  direction: "in",
  service: "household-death",
  source: "public-security",
  destination: "health-cloud",
  requestHash: Buffer.alloc(64, i).toString("base64"),
  responseHash: Buffer.alloc(64, i + 1).toString("base64"),
  status: 200,
  requestAt: "2026-12-04T10:00:00.000Z",
  responseAt: "2026-12-04T10:00:00.000Z",
});

/** A KMS that knows one key and answers Verify as KMS does (an invalid signature is an exception) */
function fakeKms(calls: VerifyCommand["input"][]) {
  return {
    send: async (command: VerifyCommand) => {
      const input = command.input;
      calls.push(input);
      if (input.KeyId !== KEY_ID) throw new Error(`NotFoundException: ${input.KeyId}`);
      if (!verify("sha256", Buffer.from(input.Message!), publicKey, Buffer.from(input.Signature!)))
        throw new KMSInvalidSignatureException({ message: "invalid", $metadata: {} });
      return { SignatureValid: true, KeyId: KEY_ID, SigningAlgorithm: input.SigningAlgorithm };
    },
  } as never;
}

function pages() {
  const first = sealBatch({ lastSeq: 0, lastHash: GENESIS_HASH }, [entry(1), entry(2)], "2026-12-04T10:01:00.000Z", {
    keyId: KEY_ID,
    algorithm: SM2,
  });
  const second = sealBatch({ lastSeq: 2, lastHash: first.head.lastHash }, [entry(3)], "2026-12-04T10:02:00.000Z", {
    keyId: KEY_ID,
    algorithm: SM2,
  });
  const batches = [first, second].map((b) => ({
    head: b.head as BatchHead,
    signature: sign("sha256", headBytes(b.head), privateKey).toString("base64"),
    entries: b.entries,
  }));
  // the hub gives no P-256 public key for an SM2 key that node:crypto could use
  return { key: { keyId: KEY_ID, algorithm: SM2, publicKey: "" }, batches };
}

describe("evidence-verify on SM2 heads", () => {
  it("checks every SM2 head with KMS Verify, RAW, over the head's canonical bytes, and passes an untouched chain", async () => {
    const calls: VerifyCommand["input"][] = [];
    const page = pages();
    const report = await verifyEvidence(async () => page, { kmsVerify: kmsHeadCheck(fakeKms(calls)) });
    expect(report).toEqual({ batches: 2, entries: 3, keyId: KEY_ID });
    expect(calls.map((c) => [c.KeyId, c.MessageType, c.SigningAlgorithm])).toEqual([
      [KEY_ID, "RAW", SM2],
      [KEY_ID, "RAW", SM2],
    ]);
    expect(Buffer.from(calls[1]!.Message!).toString()).toBe(headBytes(page.batches[1]!.head).toString());
  });

  it("names the batch whose head KMS does not verify", async () => {
    const page = pages();
    page.batches[1]!.head = { ...page.batches[1]!.head, sealedAt: "2026-12-04T10:03:00.000Z" };
    const report = await verifyEvidence(async () => page, { kmsVerify: kmsHeadCheck(fakeKms([])) });
    expect(report.failure).toMatchObject({ batch: 3, reason: "the batch head's signature does not verify" });
  });

  it("uses the pinned key id, and a key KMS does not know is an error, not a pass", async () => {
    const calls: VerifyCommand["input"][] = [];
    await expect(
      verifyEvidence(async () => pages(), { kmsKeyId: "arn:aws-cn:kms:cn-north-1:1:key/other", kmsVerify: kmsHeadCheck(fakeKms(calls)) }),
    ).rejects.toThrow(/NotFoundException/);
    expect(calls[0]!.KeyId).toBe("arn:aws-cn:kms:cn-north-1:1:key/other");
  });

  it("refuses to pass SM2 heads it has no way to check", async () => {
    await expect(verifyEvidence(async () => pages())).rejects.toThrow(/SM2DSA: checking it needs KMS Verify/);
  });
});
