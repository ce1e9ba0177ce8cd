/**
 * The city's audited access (lambdas/use-cases/audited-access.ts): `refusals` records a call that names
 * no patient only when it is refused, naming who tried and why; an upstream failure is no refusal.
 */
import { describe, expect, it } from "vitest";
import type { AccessDescription } from "#domain/audit.ts";
import { NotFoundError, UpstreamError } from "#domain/errors.ts";
import { PractitionerRefusedError } from "#shared/practitioner-guard.ts";
import { auditedAccess } from "#use-cases/audited-access.ts";

const recording = () => {
  const recorded: AccessDescription[] = [];
  const record = async (access: AccessDescription) => String(recorded.push(access));
  const auditor = auditedAccess({ record }, "baoding");
  return { recorded, auditor };
};
const template = { action: "U" as const, interaction: "update" as const, hospitalId: "bd001", resource: "Communication/c1" };

describe("CityAuditor.refusals", () => {
  it("records nothing when the call is accepted, and passes its value on", async () => {
    const { recorded, auditor } = recording();
    expect(await auditor.refusals(template, async () => 42)).toBe(42);
    expect(recorded).toEqual([]);
  });

  it("records a refusal with the practitioner the refusal names, and rethrows it", async () => {
    const { recorded, auditor } = recording();
    const refusal = new PractitionerRefusedError("X-Practitioner-Id bd002-p001: no active role at bd001", "bd002-p001");
    await expect(auditor.refusals(template, () => Promise.reject(refusal))).rejects.toBe(refusal);
    await expect(auditor.refusals(template, () => Promise.reject(new NotFoundError("not in this inbox")))).rejects.toThrow(
      "not in this inbox",
    );
    expect(recorded).toMatchObject([
      { ...template, node: "baoding", patients: [], practitionerId: "bd002-p001", result: "refused", detail: refusal.message },
      { ...template, node: "baoding", patients: [], result: "refused", detail: "not in this inbox" },
    ]);
  });

  it("records no refusal for a failure upstream (the call was not refused, it failed)", async () => {
    const { recorded, auditor } = recording();
    await expect(auditor.refusals(template, () => Promise.reject(new UpstreamError("hub down")))).rejects.toThrow("hub down");
    expect(recorded).toEqual([]);
  });
});
