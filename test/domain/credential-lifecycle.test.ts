/** Issue, rotate (with a grace period) and revoke, over an in-memory credential store. */
import { describe, expect, it } from "vitest";
import type { CredentialRecord, CredentialStore } from "#ports/credentials.ts";
import { authenticate } from "#use-cases/authenticate.ts";
import { issueHospitalCredential, revokeHospitalCredentials, rotateHospitalCredential } from "#use-cases/credentials.ts";

function memoryStore(): CredentialStore {
  const items = new Map<string, CredentialRecord>();
  return {
    get: async (id) => items.get(id),
    put: async (r) => void items.set(r.credentialId, { ...r }),
    listByHospital: async (h) => [...items.values()].filter((r) => r.hospitalId === h),
  };
}

const t0 = new Date("2026-11-26T00:00:00Z");
const hours = (h: number) => new Date(t0.getTime() + h * 3_600_000);

describe("credential lifecycle", () => {
  it("rotation keeps the old credential working for the grace period, then only the new one", async () => {
    const store = memoryStore();
    const first = await issueHospitalCredential({ credentials: store }, { hospitalId: "bd073", cityId: "baoding" }, t0);
    expect(await authenticate(store, first.credential, t0)).toEqual({ kind: "hospital", hospitalId: "bd073", cityId: "baoding" });
    const rotation = (await rotateHospitalCredential({ credentials: store }, "bd073", 24, hours(1)))!;
    expect(rotation.previous).toEqual([{ credentialId: first.credentialId, expiresAt: hours(25).toISOString() }]);
    expect(rotation.credential).not.toBe(first.credential);
    expect(await authenticate(store, first.credential, hours(24.9))).toMatchObject({ hospitalId: "bd073" });
    expect(await authenticate(store, first.credential, hours(25))).toBeUndefined();
    expect(await authenticate(store, rotation.credential, hours(100))).toMatchObject({ hospitalId: "bd073" });
  });

  it("a second rotation never extends an earlier credential's grace", async () => {
    const store = memoryStore();
    const first = await issueHospitalCredential({ credentials: store }, { hospitalId: "hs001", cityId: "hengshui" }, t0);
    await rotateHospitalCredential({ credentials: store }, "hs001", 24, t0);
    const second = (await rotateHospitalCredential({ credentials: store }, "hs001", 48, hours(1)))!;
    const firstAfter = second.previous.find((p) => p.credentialId === first.credentialId)!;
    expect(firstAfter.expiresAt).toBe(hours(24).toISOString());
  });

  it("revocation stops every credential of the hospital at once, and only that hospital's", async () => {
    const store = memoryStore();
    const a = await issueHospitalCredential({ credentials: store }, { hospitalId: "bd001", cityId: "baoding" }, t0);
    const rotated = (await rotateHospitalCredential({ credentials: store }, "bd001", 24, t0))!;
    const other = await issueHospitalCredential({ credentials: store }, { hospitalId: "bd002", cityId: "baoding" }, t0);
    const revoked = await revokeHospitalCredentials({ credentials: store }, "bd001", hours(1));
    expect(revoked.sort()).toEqual([a.credentialId, rotated.credentialId].sort());
    expect(await authenticate(store, a.credential, hours(1))).toBeUndefined();
    expect(await authenticate(store, rotated.credential, hours(1))).toBeUndefined();
    expect(await authenticate(store, other.credential, hours(1))).toMatchObject({ hospitalId: "bd002" });
    expect(await rotateHospitalCredential({ credentials: store }, "bd001", 24, hours(2))).toBeUndefined();
  });
});
