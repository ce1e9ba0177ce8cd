/**
 * One-Line Connect through the local province: hospitals submit claims at their city node, the hub
 * carries them through the Settlement FIFO queue to the reference insurance platform, and the
 * ClaimResponses come back, searchable and reconciled. Each rule of docs/settlement.md with a worked example.
 */

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetQueueAttributesCommand, SendMessageCommand, SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cstDay } from "#domain/settlement/claim-response.ts";
import { type Hospital, register } from "#lib/harness/patients.ts";
import { type ClaimResponseLike, claimResponses, submit, totalsFen } from "#lib/harness/settlement.ts";
import { redrive } from "#lib/ops/redrive.ts";
import { claimOf, residentAt } from "#lib/world/index.ts";
import { claimSystem } from "#schemas/settlement.ts";
import { call, queueSettled, startTestProvince, type TestProvince, waitFor } from "../support/province.ts";

let t: TestProvince;
let base: string;
let sjz3: Hospital; // a level 3 hospital of Shijiazhuang
let sjz2: Hospital; // a level 2 hospital of Shijiazhuang
let other: Hospital; // another Shijiazhuang hospital

beforeAll(async () => {
  t = await startTestProvince();
  base = t.province.url;
  const staffed = t.credentials.hospitals.filter((h) => h.cityId === "shijiazhuang" && h.practitioners.length > 0);
  sjz3 = staffed.find((h) => h.level === 3)!;
  sjz2 = staffed.find((h) => h.level === 2)!;
  other = staffed.find((h) => h !== sjz3 && h !== sjz2)!;
});
afterAll(async () => {
  await t?.province.stop();
});

let residents = 0;
const newResident = async (h: Hospital, region = "130102") => register(base, h, `R${++residents}`, residentAt(residents + 500, region));

/** Waits until every claim sent so far has been adjudicated and its result stored at the hub (both queues empty) */
const pipelineSettled = async () => {
  await queueSettled(t.province, "hub", "Settlement");
  await queueSettled(t.province, "hub", "SettlementResults");
};

/** Waits for the ClaimResponse of `number` (its reversal too when `cancelled`) */
const settled = async (h: Hospital, number: string, cancelled = false): Promise<ClaimResponseLike> => {
  const all = await waitFor(
    () => claimResponses(base, h, number),
    (rs) => rs.some((r) => r.status === (cancelled ? "cancelled" : "active")),
    60_000,
  );
  return all.find((r) => r.status === (cancelled ? "cancelled" : "active"))!;
};

/** Every claim number a hospital used, for the reconciliation check */
const used = new Map<string, Set<string>>();
const send = (h: Hospital, number: string, claim: unknown) => {
  used.set(h.id, (used.get(h.id) ?? new Set()).add(number));
  return submit(base, h, claim);
};

describe("submitting a claim", () => {
  it("answers 202 naming the ClaimResponse search, and the settlement follows", async () => {
    const patient = await newResident(sjz3);
    const res = await send(sjz3, "C-1", claimOf(sjz3, "C-1", patient, { items: [["A", 6800.05]] }));
    expect(res.status).toBe(202);
    expect(res.json?.resourceType).toBe("OperationOutcome");
    expect(res.headers.get("content-location")).toBe(
      `ClaimResponse?request.identifier=${encodeURIComponent(`${claimSystem(sjz3.id)}|C-1`)}`,
    );
    const cr = await settled(sjz3, "C-1");
    expect(cr.outcome).toBe("complete");
    // level 3, same city: (6800.05 − 1000) × 70 % = 4060.035 CNY → 406004 fen (a fund share ending in .5 fen)
    expect(totalsFen(cr)).toEqual({ submitted: 680005, eligible: 680005, deductible: 100000, benefit: 406004 });
    expect(cr.extension?.[0]?.valueString).toBe("HEBEI-BMI-2024.1");

    // a second admission of the same resident in the year: the deductible is halved
    expect((await send(sjz3, "C-2", claimOf(sjz3, "C-2", patient, { items: [["A", 3000]] }))).status).toBe(202);
    expect(totalsFen(await settled(sjz3, "C-2"))).toEqual({ submitted: 300000, eligible: 300000, deductible: 50000, benefit: 175000 });
    // … but not in the next calendar year
    expect((await send(sjz3, "C-3", claimOf(sjz3, "C-3", patient, { start: "2027-01-02", items: [["A", 3000]] }))).status).toBe(202);
    expect(totalsFen(await settled(sjz3, "C-3")).deductible).toBe(100000);
  });

  it("rounds a B sum whose 90 % ends in .5 fen, and the outpatient share, half up; C is not eligible", async () => {
    const patient = await newResident(sjz3);
    const claim = claimOf(sjz3, "O-1", patient, {
      kind: "professional",
      items: [
        ["A", 100],
        ["B", 120],
        ["B", 3.45],
        ["C", 99.99],
      ],
    });
    expect((await send(sjz3, "O-1", claim)).status).toBe(202);
    // B 123.45 × 90 % = 111.105 → 111.11; eligible 211.11; fund 50 % = 105.555 → 105.56
    expect(totalsFen(await settled(sjz3, "O-1"))).toEqual({ submitted: 32344, eligible: 21111, deductible: 0, benefit: 10556 });
  });

  it("deducts and pays by the hospital's level (a level 2 hospital: 600 CNY, 80 %)", async () => {
    const patient = await newResident(sjz2);
    expect((await send(sjz2, "L2-1", claimOf(sjz2, "L2-1", patient, { items: [["A", 1600]] }))).status).toBe(202);
    expect(totalsFen(await settled(sjz2, "L2-1"))).toEqual({ submitted: 160000, eligible: 160000, deductible: 60000, benefit: 80000 });
  });

  it("pays 10 points less for a resident insured in another city", async () => {
    const tangshanResident = await newResident(sjz3, "130203");
    expect((await send(sjz3, "X-1", claimOf(sjz3, "X-1", tangshanResident, { items: [["A", 2000]] }))).status).toBe(202);
    expect(totalsFen(await settled(sjz3, "X-1")).benefit).toBe(60000); // (2000 − 1000) × 60 %
    // outpatient care is 50 % whatever the city
    expect((await send(sjz3, "X-2", claimOf(sjz3, "X-2", tangshanResident, { kind: "professional", items: [["A", 10.01]] }))).status).toBe(
      202,
    );
    expect(totalsFen(await settled(sjz3, "X-2")).benefit).toBe(501);
  });

  it("stops at the annual inpatient cap, crossed inside one claim", async () => {
    const patient = await newResident(sjz3);
    expect((await send(sjz3, "CAP-1", claimOf(sjz3, "CAP-1", patient, { items: [["A", 400000]] }))).status).toBe(202);
    // 70 % of (400000 − 1000) CNY = 279300 CNY, but the year's cap is 250000 CNY
    expect(totalsFen(await settled(sjz3, "CAP-1"))).toEqual({
      submitted: 40000000,
      eligible: 40000000,
      deductible: 100000,
      benefit: 25000000,
    });
    expect((await send(sjz3, "CAP-2", claimOf(sjz3, "CAP-2", patient, { items: [["A", 5000]] }))).status).toBe(202);
    expect(totalsFen(await settled(sjz3, "CAP-2"))).toEqual({ submitted: 500000, eligible: 500000, deductible: 50000, benefit: 0 });
  });

  it("stops at the annual outpatient cap", async () => {
    const patient = await newResident(sjz3);
    expect((await send(sjz3, "OC-1", claimOf(sjz3, "OC-1", patient, { kind: "professional", items: [["A", 5000]] }))).status).toBe(202);
    expect(totalsFen(await settled(sjz3, "OC-1")).benefit).toBe(250000);
    expect((await send(sjz3, "OC-2", claimOf(sjz3, "OC-2", patient, { kind: "professional", items: [["A", 2000]] }))).status).toBe(202);
    expect(totalsFen(await settled(sjz3, "OC-2")).benefit).toBe(50000); // 1000 CNY due, 500 left of 3000
  });

  it("rejects a claim with an unknown insurance category, with a coded reason", async () => {
    const patient = await newResident(sjz3);
    expect(
      (
        await send(
          sjz3,
          "U-1",
          claimOf(sjz3, "U-1", patient, {
            items: [
              ["A", 10],
              ["D", 20],
            ],
          }),
        )
      ).status,
    ).toBe(202);
    const cr = await settled(sjz3, "U-1");
    expect(cr.outcome).toBe("error");
    expect(cr.error?.map((e) => e.code.coding[0]!.code)).toEqual(["unknown-category"]);
    expect(totalsFen(cr)).toEqual({ submitted: 3000, eligible: 0, deductible: 0, benefit: 0 });
  });
});

describe("resubmission and reversal", () => {
  it("answers an unchanged resubmission alike and never pays it twice; a changed one is a conflict", async () => {
    const patient = await newResident(sjz3);
    const claim = claimOf(sjz3, "D-1", patient, { items: [["A", 3000]] });
    expect((await send(sjz3, "D-1", claim)).status).toBe(202);
    const again = await send(sjz3, "D-1", claim);
    expect(again.status).toBe(202);
    expect(again.headers.get("content-location")).toContain("D-1");
    await settled(sjz3, "D-1");
    expect((await send(sjz3, "D-1", claim)).status).toBe(202);
    const changed = await send(sjz3, "D-1", claimOf(sjz3, "D-1", patient, { items: [["A", 3000.01]] }));
    expect(changed.status).toBe(409);
    await pipelineSettled();
    expect(await claimResponses(base, sjz3, "D-1")).toHaveLength(1);
    // the admission counted once: the next one gets the halved deductible, not a third-time one
    expect((await send(sjz3, "D-2", claimOf(sjz3, "D-2", patient, { items: [["A", 3000]] }))).status).toBe(202);
    expect(totalsFen(await settled(sjz3, "D-2"))).toEqual({ submitted: 300000, eligible: 300000, deductible: 50000, benefit: 175000 });
  });

  it("reverses a settled claim with status cancelled, releasing its fund amount and its admission", async () => {
    const patient = await newResident(sjz3);
    const claim = claimOf(sjz3, "V-1", patient, { items: [["A", 3000]] });
    expect((await send(sjz3, "V-1", claim)).status).toBe(202);
    expect(totalsFen(await settled(sjz3, "V-1")).benefit).toBe(140000);
    const cancel = { ...claim, status: "cancelled" };
    expect((await send(sjz3, "V-1", cancel)).status).toBe(202);
    const reversal = await settled(sjz3, "V-1", true);
    expect(reversal.outcome).toBe("complete");
    expect(totalsFen(reversal)).toEqual({ submitted: 300000, eligible: 300000, deductible: 100000, benefit: 140000 });
    // released: the next admission is a first one again (full deductible)
    expect((await send(sjz3, "V-2", claimOf(sjz3, "V-2", patient, { items: [["A", 3000]] }))).status).toBe(202);
    expect(totalsFen(await settled(sjz3, "V-2"))).toEqual({ submitted: 300000, eligible: 300000, deductible: 100000, benefit: 140000 });
    // the cancellation again, and the original again: nothing more happens
    expect((await send(sjz3, "V-1", cancel)).status).toBe(202);
    expect((await send(sjz3, "V-1", claim)).status).toBe(202);
    await pipelineSettled();
    const all = await claimResponses(base, sjz3, "V-1");
    expect(all.map((r) => r.status).sort()).toEqual(["active", "cancelled"]);
  });

  it("releases fund under the cap: after a reversal the resident's outpatient fund is available again", async () => {
    const patient = await newResident(sjz3);
    const big = claimOf(sjz3, "OR-1", patient, { kind: "professional", items: [["A", 6000]] });
    expect((await send(sjz3, "OR-1", big)).status).toBe(202);
    expect(totalsFen(await settled(sjz3, "OR-1")).benefit).toBe(300000);
    expect((await send(sjz3, "OR-1", { ...big, status: "cancelled" })).status).toBe(202);
    await settled(sjz3, "OR-1", true);
    expect((await send(sjz3, "OR-2", claimOf(sjz3, "OR-2", patient, { kind: "professional", items: [["A", 1000]] }))).status).toBe(202);
    expect(totalsFen(await settled(sjz3, "OR-2")).benefit).toBe(50000);
  });

  it("refuses to cancel a claim never submitted (404)", async () => {
    const patient = await newResident(sjz3);
    const res = await send(sjz3, "N-1", claimOf(sjz3, "N-1", patient, { status: "cancelled", items: [["A", 1]] }));
    expect(res.status).toBe(404);
  });
});

describe("refused claims", () => {
  it("refuses an unknown resident (404), another hospital's name or numbering (403), a resident without a resident ID number (422)", async () => {
    const unknown = await submit(
      base,
      sjz3,
      claimOf(sjz3, "Z-1", { system: `https://hebei.health/sid/mrn/${sjz3.id}`, value: "never-fed" }, { items: [["A", 1]] }),
    );
    expect(unknown.status).toBe(404);
    const patient = await newResident(sjz3);
    const provider = await submit(base, sjz3, claimOf(sjz3, "Z-2", patient, { provider: `Organization/${other.id}`, items: [["A", 1]] }));
    expect(provider.status).toBe(403);
    expect(JSON.stringify(provider.json)).toContain("Claim.provider");
    const numbering = await submit(base, sjz3, claimOf(sjz3, "Z-3", patient, { system: claimSystem(other.id), items: [["A", 1]] }));
    expect(numbering.status).toBe(403);
    const { residentId: _none, ...withoutId } = residentAt(9000);
    const noId = await register(base, sjz3, "NOID-1", withoutId);
    const unprocessable = await submit(base, sjz3, claimOf(sjz3, "Z-4", noId, { items: [["A", 1]] }));
    expect(unprocessable.status).toBe(422);
    expect(JSON.stringify(unprocessable.json)).toContain("resident ID number");
    const noPractitioner = await call(`${base}/cities/${sjz3.cityId}/fhir/Claim`, {
      token: sjz3.credential,
      body: claimOf(sjz3, "Z-5", patient, { items: [["A", 1]] }),
    });
    expect(noPractitioner.status).toBe(403);
    // none of them was recorded or settled
    await pipelineSettled();
    for (const n of ["Z-1", "Z-2", "Z-4", "Z-5"]) expect(await claimResponses(base, sjz3, n)).toHaveLength(0);
  });

  it("refuses malformed, negative and over-precise amounts with a 400 naming the field", async () => {
    const patient = await newResident(sjz3);
    const claim = claimOf(sjz3, "M-1", patient, {
      items: [
        ["A", 1],
        ["B", 2],
      ],
    });
    const expectField = async (body: string, field: string) => {
      const res = await submit(base, sjz3, undefined, body);
      expect(res.status, body.slice(0, 80)).toBe(400);
      expect(JSON.stringify(res.json)).toContain(field);
    };
    const raw = (value: string) => JSON.stringify(claim).replace('"value":2,', `"value":${value},`);
    expect(raw("9")).not.toBe(JSON.stringify(claim));
    await expectField(raw("-1.00"), "Claim.item.1.net.value");
    await expectField(raw("12.345"), "Claim.item.1.net.value");
    await expectField(raw("12.3400000000000001"), "Claim.item.1.net.value");
    await expectField(raw('"12.34"'), "Claim.item.1.net.value");
    const { priority: _p, ...noPriority } = claim;
    await expectField(JSON.stringify(noPriority), "Claim.priority");
    await expectField(JSON.stringify({ ...claim, item: [] }), "Claim.item");
    await expectField(JSON.stringify({ ...claim, billablePeriod: {} }), "Claim.billablePeriod.start");
    await expectField("{not json", "not valid JSON");
    expect(await claimResponses(base, sjz3, "M-1")).toHaveLength(0);
  });
});

describe("the Settlement FIFO queue", () => {
  it("moves a message that keeps failing to its DLQ after bounded attempts; re-driven once fixed, it settles", async () => {
    const hub = t.province.resources.get("hub")!;
    const queue = hub.queues.get("Settlement")!;
    const dlq = hub.queues.get("SettlementDlq")!;
    const sqs = new SQSClient({ endpoint: t.province.endpoints.sqs });
    const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: t.province.endpoints.dynamodb }));
    const depth = async (url: string) =>
      Number(
        (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["ApproximateNumberOfMessages"] }))).Attributes
          ?.ApproximateNumberOfMessages ?? 0,
      );
    // failures come back after 1 s instead of the deployed 180 s, so the 5 attempts take seconds
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { VisibilityTimeout: "1" } }));
    try {
      // a resident whose yearly totals at the insurance platform are unreadable: their claim cannot be paid
      const patient = await newResident(sjz3);
      const pix = await call(
        `${base}/cities/${sjz3.cityId}/fhir/Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`${patient.system}|${patient.value}`)}`,
        {
          token: sjz3.credential,
        },
      );
      const empi = ((pix.json?.parameter ?? []) as { valueIdentifier: { system: string; value: string } }[]).find((p) =>
        p.valueIdentifier.system.endsWith("/empi"),
      )!.valueIdentifier.value;
      const ledger = t.province.resources.get("insurance")!.tables.get("InsuranceLedger")!;
      const totalsKey = { pk: `totals#${empi}#2026`, sk: "totals" };
      await ddb.send(new PutCommand({ TableName: ledger, Item: { ...totalsKey, inpatientFundFen: "corrupt", version: 3 } }));
      // and a message of a version nobody knows
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queue.url,
          MessageBody: JSON.stringify({ type: "claim", version: 99 }),
          MessageGroupId: "poison",
          MessageDeduplicationId: "poison-1",
        }),
      );
      expect((await send(sjz3, "P-1", claimOf(sjz3, "P-1", patient, { items: [["A", 3000]] }))).status).toBe(202);
      await waitFor(
        () => depth(dlq.url),
        (n) => n === 2,
        60_000,
      );
      expect(await claimResponses(base, sjz3, "P-1")).toHaveLength(0);

      // the operator repairs the ledger and re-drives (what `npm run redrive -- --node hub --queue Settlement` runs)
      await ddb.send(new DeleteCommand({ TableName: ledger, Key: totalsKey }));
      expect(await redrive(sqs, { dlqUrl: dlq.url, sourceUrl: queue.url, fifo: true, max: 10 })).toEqual({
        moved: 2,
        failed: 0,
        exhausted: [],
      });
      expect(totalsFen(await settled(sjz3, "P-1"))).toEqual({ submitted: 300000, eligible: 300000, deductible: 100000, benefit: 140000 });
      // the unknown version is still poison: back in the DLQ, alone
      await waitFor(
        () => depth(dlq.url),
        (n) => n === 1,
        60_000,
      );
    } finally {
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queue.url, Attributes: { VisibilityTimeout: "180" } }));
      sqs.destroy();
      ddb.destroy();
    }
  });
});

describe("reconciliation", () => {
  it("gives each hospital's net figures of the day, equal to the sum of its settlements and reversals", async () => {
    const today = cstDay(new Date().toISOString());
    const expected = { claims: 0, reversals: 0, submittedFen: 0, fundFen: 0 };
    for (const number of used.get(sjz3.id) ?? []) {
      for (const cr of await claimResponses(base, sjz3, number)) {
        if (cr.outcome !== "complete") continue;
        const sign = cr.status === "cancelled" ? -1 : 1;
        if (sign === 1) expected.claims++;
        else expected.reversals++;
        expected.submittedFen += sign * totalsFen(cr).submitted!;
        expected.fundFen += sign * totalsFen(cr).benefit!;
      }
    }
    expect(expected.reversals).toBe(2);
    const res = await call(`${base}/hub/settlement/reconciliation?date=${today}&hospital=${sjz3.id}`, { token: t.credentials.operator });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      date: today,
      hospitals: [{ hospitalId: sjz3.id, ...expected, patientFen: expected.submittedFen - expected.fundFen }],
    });
    const all = await call(`${base}/hub/settlement/reconciliation?date=${today}`, { token: t.credentials.operator });
    const rows = (all.json?.hospitals ?? []) as { hospitalId: string }[];
    expect(rows.map((r) => r.hospitalId).sort()).toEqual([sjz2.id, sjz3.id].sort());
    expect((await call(`${base}/hub/settlement/reconciliation?date=2026-13-45`, { token: t.credentials.operator })).status).toBe(400);
    expect((await call(`${base}/hub/settlement/reconciliation?date=${today}`, { token: sjz3.credential })).status).toBe(403);
  });
});
