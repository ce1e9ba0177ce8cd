/**
 * Telemedicine without I/O (docs/telemedicine.md): tiers and the choice of expert, every move of the
 * Task's life and the refused ones, the deadlines, and the use cases over in-memory stores (dispatch,
 * rejection → re-dispatch → escalation → no expert, the sweep, cancelOpenTasksOfResident).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chooseExpert, type Expert, type Tier, targetTier, tierOf } from "#domain/telemedicine/dispatch.ts";
import { phaseMs, TELEMEDICINE_POLICY } from "#domain/telemedicine/policy.ts";
import { applyUpdate, type StoredTask, versionOfIfMatch } from "#domain/telemedicine/task.ts";
import { type ServiceRequestInput, serviceRequestSchema, TASK_STATUSES, type TaskUpdateInput } from "#schemas/telemedicine.ts";
import {
  cancelOpenTasksOfResident,
  kpisBetween,
  requestTelemedicine,
  sweepTasks,
  telemedicineDocuments,
  updateTask,
} from "#use-cases/telemedicine/tasks.ts";
import { memoryDeps } from "./telemedicine-memory.ts";

const expert = (roleId: string, hospitalId: string, cityId: string, tier: Tier, specialties = ["internal-medicine"]): Expert => ({
  roleId,
  practitionerId: roleId.replace(/-r\d$/, ""),
  hospitalId,
  cityId,
  tier,
  specialties,
});
const EXPERTS: Expert[] = [
  expert("bd101-p001-r1", "bd101", "baoding", "municipal"),
  expert("bd102-p001-r1", "bd102", "baoding", "municipal"),
  expert("ts101-p001-r1", "ts101", "tangshan", "municipal"),
  expert("sjz001-p001-r1", "sjz001", "shijiazhuang", "provincial"),
  expert("sjz002-p001-r1", "sjz002", "shijiazhuang", "provincial", ["surgery"]),
];

describe("tiers and dispatch", () => {
  it("names a hospital's tier from its level and the provincial set", () => {
    const provincial = new Set(["sjz001"]);
    expect(tierOf(2, "bd201", provincial)).toBe("county");
    expect(tierOf(3, "bd101", provincial)).toBe("municipal");
    expect(tierOf(3, "sjz001", provincial)).toBe("provincial");
    expect(targetTier("county", 0)).toBe("municipal");
    expect(targetTier("county", 1)).toBe("provincial");
    expect(targetTier("municipal", 0)).toBe("provincial");
    expect(targetTier("provincial", 3)).toBe("provincial");
  });

  const facts = {
    taskId: "t-1",
    requesterHospitalId: "bd201",
    requesterCityId: "tangshan",
    requesterTier: "county" as Tier,
    specialty: "internal-medicine",
    escalations: 0,
    excluded: [],
  };

  it("goes one tier up, own city first, then the least loaded, never the requester or an excluded expert", () => {
    const choice = chooseExpert(facts, EXPERTS, new Map());
    expect(choice).toMatchObject({ kind: "assign", expert: { hospitalId: "ts101" }, escalations: 0 });
    const baoding = chooseExpert({ ...facts, requesterCityId: "baoding" }, EXPERTS, new Map([["bd101-p001-r1", 3]]));
    expect(baoding).toMatchObject({ expert: { roleId: "bd102-p001-r1" } });
    const excluded = chooseExpert({ ...facts, excluded: ["ts101-p001-r1", "bd101-p001-r1"] }, EXPERTS, new Map());
    expect(excluded).toMatchObject({ expert: { roleId: "bd102-p001-r1" } });
    // nobody left at the municipal tier: the next tier up, counted as an escalation
    const up = chooseExpert({ ...facts, excluded: ["ts101-p001-r1", "bd101-p001-r1", "bd102-p001-r1"] }, EXPERTS, new Map());
    expect(up).toMatchObject({ kind: "assign", expert: { roleId: "sjz001-p001-r1" }, escalations: 1 });
    // a provincial requester goes to another provincial hospital
    expect(chooseExpert({ ...facts, requesterTier: "provincial", requesterHospitalId: "sjz001" }, EXPERTS, new Map())).toEqual({
      kind: "none",
      escalations: 0,
    });
    expect(chooseExpert({ ...facts, specialty: "pediatrics" }, EXPERTS, new Map())).toMatchObject({ kind: "none", escalations: 1 });
  });

  it("spreads Tasks dispatched at once over equally loaded experts, each Task always to the same one", () => {
    const baoding = { ...facts, requesterCityId: "baoding" };
    const chosen = Array.from({ length: 200 }, (_, i) => chooseExpert({ ...baoding, taskId: `task-${i}` }, EXPERTS, new Map()));
    const counts = new Map<string, number>();
    for (const c of chosen) if (c.kind === "assign") counts.set(c.expert.hospitalId, (counts.get(c.expert.hospitalId) ?? 0) + 1);
    // both of Baoding's municipal hospitals, about half each (the other city's only after them)
    expect([...counts.keys()].sort()).toEqual(["bd101", "bd102"]);
    expect(Math.min(...counts.values())).toBeGreaterThan(60);
    expect(chooseExpert({ ...baoding, taskId: "task-7" }, EXPERTS, new Map())).toEqual(chosen[7]);
    // the load still comes first
    const loaded = new Map([["bd101-p001-r1", 1]]);
    expect(chosen.every((_, i) => chooseExpert({ ...baoding, taskId: `task-${i}` }, EXPERTS, loaded).kind === "assign")).toBe(true);
    expect(
      new Set(
        chosen.map((_, i) => (chooseExpert({ ...baoding, taskId: `task-${i}` }, EXPERTS, loaded) as { expert: Expert }).expert.hospitalId),
      ),
    ).toEqual(new Set(["bd102"]));
  });

  it("never assigns the requesting hospital, an excluded role, a lower tier or another specialty (property)", () => {
    const tiers: Tier[] = ["county", "municipal", "provincial"];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ h: fc.integer({ min: 0, max: 5 }), tier: fc.constantFrom(...tiers), s: fc.constantFrom("surgery", "pediatrics") }),
          { maxLength: 12 },
        ),
        fc.constantFrom(...tiers),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 2 }),
        fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 6 }),
        (drawn, requesterTier, requester, escalations, excludedAt) => {
          const experts = drawn.map((d, i) => expert(`x${i}-p001-r1`, `h${d.h}`, d.h % 2 ? "baoding" : "tangshan", d.tier, [d.s]));
          const excluded = excludedAt.map((i) => `x${i}-p001-r1`);
          const f = {
            taskId: `t-${requester}-${escalations}`,
            requesterHospitalId: `h${requester}`,
            requesterCityId: "baoding",
            requesterTier,
            specialty: "surgery",
            escalations,
            excluded,
          };
          const choice = chooseExpert(f, experts, new Map());
          if (choice.kind === "none") return;
          expect(choice.expert.hospitalId).not.toBe(f.requesterHospitalId);
          expect(excluded).not.toContain(choice.expert.roleId);
          expect(choice.expert.specialties).toContain("surgery");
          expect(choice.expert.tier).toBe(targetTier(requesterTier, choice.escalations));
          expect(choice.escalations).toBeGreaterThanOrEqual(escalations);
        },
      ),
    );
  });
});

describe("deadlines and If-Match", () => {
  it("takes the policy's deadlines: reads by priority, consults within 24 h of the session", () => {
    expect(phaseMs("assign", "stat", "ecg-read")).toBe(10 * 60_000);
    expect(phaseMs("accept", "urgent", "consult")).toBe(3_600_000);
    expect(phaseMs("report", "routine", "pathology-read")).toBe(24 * 3_600_000);
    expect(phaseMs("report", "stat", "imaging-read")).toBe(30 * 60_000);
    expect(phaseMs("report", "stat", "consult")).toBe(TELEMEDICINE_POLICY.sessionReportMs);
  });
  it("reads the version an If-Match names, and nothing else", () => {
    expect(versionOfIfMatch('W/"3"')).toBe(3);
    expect(versionOfIfMatch('"12"')).toBe(12);
    for (const bad of ["3", 'W/"x"', "*", 'W/"1", W/"2"', ""]) expect(versionOfIfMatch(bad)).toBeUndefined();
  });
});

// ——— the use cases over in-memory stores (telemedicine-memory.ts) ———

const REQUEST: ServiceRequestInput = serviceRequestSchema.parse({
  resourceType: "ServiceRequest",
  category: [{ coding: [{ system: "https://hebei.health/fhir/CodeSystem/telemedicine-category", code: "ecg-read" }] }],
  priority: "stat",
  subject: { identifier: { system: "https://hebei.health/sid/resident-id", value: "R1" } },
  performerType: { coding: [{ system: "https://hebei.health/fhir/CodeSystem/clinical-department", code: "internal-medicine" }] },
  note: [{ text: "ST elevation?" }],
  supportingInfo: [{ reference: "DocumentReference/baoding-doc00001" }],
  extension: [{ url: "https://hebei.health/fhir/StructureDefinition/informed-consent", valueBoolean: true }],
});
const DOCS = new Map([
  ["baoding-doc00001", { hospitalId: "bd201", status: "current" }],
  ["baoding-report001", { hospitalId: "bd102", status: "current" }],
  ["baoding-report101", { hospitalId: "bd101", status: "current" }],
]);
const requester = { hospitalId: "bd201", cityId: "baoding", practitionerId: "bd201-p001" };
const party = (hospitalId: string) => ({ hospitalId, cityId: "baoding", practitionerId: `${hospitalId}-p001` });
const put = (status: TaskUpdateInput["status"], more: Partial<TaskUpdateInput> = {}): TaskUpdateInput => ({
  resourceType: "Task",
  status,
  ...more,
});

describe("the use cases", () => {
  it("refuses an unknown resident or a document not the resident's, writing nothing", async () => {
    const { deps, tasks } = memoryDeps(EXPERTS, DOCS);
    await expect(
      requestTelemedicine(deps, requester, { ...REQUEST, subject: { identifier: { system: "x", value: "R2" } } }),
    ).rejects.toMatchObject({
      kind: "unprocessable",
    });
    await expect(
      requestTelemedicine(deps, requester, { ...REQUEST, supportingInfo: [{ reference: "DocumentReference/baoding-other" }] }),
    ).rejects.toThrow(/supportingInfo\[0\]/);
    expect(tasks.size).toBe(0);
  });

  it("makes a request the hospital names by its identifier once: a retry answers the first Task, told once", async () => {
    const { deps, tasks, sent } = memoryDeps(EXPERTS, DOCS);
    const named = { ...REQUEST, identifier: [{ system: "urn:bd201:orders", value: "TM-0001" }] };
    const first = await requestTelemedicine(deps, requester, named);
    const again = await requestTelemedicine(deps, requester, named);
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.task.id).toBe(first.task.id);
    expect(again.body).toEqual(first.body);
    expect(tasks.size).toBe(1);
    expect(sent).toHaveLength(2); // the requester and the expert, once
    // the same order number from another hospital is another request
    const other = await requestTelemedicine(deps, { ...requester, hospitalId: "bd202" }, named);
    expect(other.created).toBe(true);
    expect(other.task.id).not.toBe(first.task.id);
    // …and on another patient of the same hospital, a conflict naming the identifier, nothing written
    await expect(
      requestTelemedicine(deps, requester, { ...named, subject: { identifier: { system: "x", value: "R9" } } }),
    ).rejects.toMatchObject({ kind: "conflict", issues: [{ expression: "identifier[0]" }] });
    expect(tasks.size).toBe(2);
  });

  it("answers a retry that lost the race to the first attempt's write with the first Task, telling no one again", async () => {
    const { deps, tasks, sent } = memoryDeps(EXPERTS, DOCS);
    const named = { ...REQUEST, identifier: [{ system: "urn:bd201:orders", value: "TM-0002" }] };
    const first = await requestTelemedicine(deps, requester, named);
    // the retry read before the first attempt's Task was written, so it dispatches and writes too
    let reads = 0;
    const racing = { ...deps, tasks: { ...deps.tasks, get: async (id: string) => (reads++ === 0 ? undefined : deps.tasks.get(id)) } };
    const told = sent.length;
    const retry = await requestTelemedicine(racing, requester, named);
    expect(retry).toMatchObject({ created: false, task: { id: first.task.id, version: first.task.version } });
    expect(tasks.size).toBe(1);
    expect(sent).toHaveLength(told);
  });

  it("rejection → re-dispatch → escalation → no expert, each party told; the sweep times owners out", async () => {
    const { deps, sent, alarms, advance } = memoryDeps(EXPERTS, DOCS);
    const { task } = await requestTelemedicine(deps, requester, REQUEST);
    // one of Baoding's two municipal hospitals (equally loaded: the Task's id decides), then the other
    const [owner, next] = task.owner?.hospitalId === "bd101" ? ["bd101", "bd102"] : ["bd102", "bd101"];
    expect(task.owner?.hospitalId).toBe(owner);
    expect(sent.map((s) => s.hospitalId).sort()).toEqual([owner, "bd201"].sort());
    const first = await updateTask(deps, party(owner), task.id, `W/"${task.version}"`, put("rejected", { statusReason: { text: "busy" } }));
    expect(first).toMatchObject({ status: "requested", businessStatus: "assigned", owner: { hospitalId: next }, redispatches: 1 });
    // the next lets the accept deadline (stat: 15 min) pass: the sweep times it out; two failures escalate
    advance(14 * 60_000);
    expect((await sweepTasks(deps)).redispatched).toBe(0);
    advance(2 * 60_000);
    expect((await sweepTasks(deps)).redispatched).toBe(1);
    const escalated = (await deps.tasks.get(task.id))!;
    expect(escalated).toMatchObject({ businessStatus: "escalated", escalations: 1, owner: { hospitalId: "sjz001" } });
    expect(escalated.excluded).toEqual([`${owner}-p001-r1`, `${next}-p001-r1`]);
    const last = await updateTask(
      deps,
      party("sjz001"),
      task.id,
      `W/"${escalated.version}"`,
      put("rejected", { statusReason: { text: "no" } }),
    );
    expect(last).toMatchObject({ status: "requested", businessStatus: "no-expert" });
    expect(last.owner).toBeUndefined();
    await sweepTasks(deps);
    expect(alarms.at(-1)).toBe(1);
    // told: requester and each owner losing or getting the Task
    expect(new Set(sent.map((s) => s.hospitalId))).toEqual(new Set(["bd201", "bd101", "bd102", "sjz001"]));
  });

  it("checks If-Match, the parties and the report; opens the supporting documents to the owner while open", async () => {
    const { deps } = memoryDeps(EXPERTS, DOCS);
    const { task } = await requestTelemedicine(deps, requester, REQUEST);
    // one of Baoding's two municipal hospitals; each published one report (bd101 …report101, bd102 …report001)
    const owner = party(task.owner!.hospitalId);
    const other = owner.hospitalId === "bd101" ? "bd102" : "bd101";
    const report = (h: string) => (h === "bd101" ? "baoding-report101" : "baoding-report001");
    await expect(updateTask(deps, party("bd999"), task.id, `W/"${task.version}"`, put("cancelled"))).rejects.toMatchObject({
      kind: "forbidden",
    });
    await expect(updateTask(deps, owner, task.id, undefined, put("accepted"))).rejects.toMatchObject({ kind: "precondition-required" });
    await expect(updateTask(deps, owner, task.id, 'W/"1"', put("accepted"))).rejects.toMatchObject({ kind: "precondition-failed" });
    await expect(updateTask(deps, requester, task.id, `W/"${task.version}"`, put("accepted"))).rejects.toMatchObject({ kind: "conflict" });
    const accepted = await updateTask(deps, owner, task.id, `W/"${task.version}"`, put("accepted"));
    expect(await telemedicineDocuments(deps.tasks, ["E1"], owner.hospitalId)).toEqual(["baoding-doc00001"]);
    expect(await telemedicineDocuments(deps.tasks, ["E1"], other)).toEqual([]);
    const working = await updateTask(deps, owner, task.id, `W/"${accepted.version}"`, put("in-progress"));
    const out = (id: string) => put("completed", { output: [{ valueReference: { reference: `DocumentReference/${id}` } }] });
    await expect(updateTask(deps, owner, task.id, `W/"${working.version}"`, out("baoding-doc00001"))).rejects.toThrow(/output/);
    // the report must be the owner's hospital's, not the other's
    await expect(updateTask(deps, owner, task.id, `W/"${working.version}"`, out(report(other)))).rejects.toThrow(/output/);
    const done = await updateTask(deps, owner, task.id, `W/"${working.version}"`, out(report(owner.hospitalId)));
    expect(done).toMatchObject({ status: "completed", output: report(owner.hospitalId) });
    // finished: the supporting documents close again
    expect(await telemedicineDocuments(deps.tasks, ["E1"], owner.hospitalId)).toEqual([]);
  });

  it("refuses every move not in the table, whatever the status (property)", () => {
    const base: StoredTask = {
      id: "t1",
      serviceRequestId: "s1",
      version: 2,
      category: "consult",
      priority: "routine",
      specialty: "surgery",
      empi: "E1",
      subject: { system: "x", value: "R1" },
      requester: { hospitalId: "a", cityId: "c", practitionerId: "a-p1", tier: "county" },
      owner: { hospitalId: "b", cityId: "c", roleId: "b-p1-r1", practitionerId: "b-p1", tier: "municipal" },
      status: "requested",
      businessStatus: "assigned",
      escalations: 0,
      failures: 0,
      excluded: [],
      redispatches: 0,
      supportingInfo: ["d1"],
      notes: [],
      createdAt: "2026-12-04T00:00:00Z",
      lastUpdated: "2026-12-04T00:00:00Z",
      history: [],
    };
    const allowed = new Set([
      "owner requested→accepted",
      "owner requested→rejected",
      "owner accepted→on-hold",
      "owner accepted→in-progress",
      "owner in-progress→completed",
      "requester on-hold→accepted",
      "requester completed→completed",
      ...["requested", "accepted", "on-hold", "in-progress"].map((s) => `requester ${s}→cancelled`),
    ]);
    const stored = ["requested", "accepted", "on-hold", "in-progress", "completed", "cancelled"] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...stored),
        fc.constantFrom(...TASK_STATUSES),
        fc.constantFrom("owner", "requester") as fc.Arbitrary<"owner" | "requester">,
        (from, to, who) => {
          const update = put(to, {
            note: [{ text: "n" }],
            statusReason: { text: "r" },
            output: [{ valueReference: { reference: "DocumentReference/d2" } }],
            businessStatus: { coding: [{ code: "report-reviewed" }] },
          });
          let moved: StoredTask | Error;
          try {
            moved = applyUpdate({ ...base, status: from }, who, "x", update, new Date("2026-12-04T01:00:00Z"));
          } catch (error) {
            moved = error as Error;
          }
          if (allowed.has(`${who} ${from}→${to}`)) expect(moved).not.toBeInstanceOf(Error);
          else expect(moved).toMatchObject({ kind: "conflict" });
        },
      ),
    );
  });

  it("counts the operator's figures per tier and hospital: deadlines met, turnaround, re-dispatches, the closed loop", async () => {
    const { deps, advance } = memoryDeps(EXPERTS, DOCS);
    const late = (await requestTelemedicine(deps, requester, REQUEST)).task;
    const owner = party(late.owner!.hospitalId);
    advance(20 * 60_000); // stat: accept within 15 minutes
    await sweepTasks(deps); // the owner timed out: Baoding's other municipal hospital gets it
    const again = (await deps.tasks.get(late.id))!;
    expect(again.owner!.hospitalId).not.toBe(owner.hospitalId);
    const acceptedLate = await updateTask(deps, party(again.owner!.hospitalId), late.id, `W/"${again.version}"`, put("accepted"));
    const quick = (await requestTelemedicine(deps, requester, REQUEST)).task;
    let t = await updateTask(deps, party(quick.owner!.hospitalId), quick.id, `W/"${quick.version}"`, put("accepted"));
    t = await updateTask(deps, party(quick.owner!.hospitalId), quick.id, `W/"${t.version}"`, put("in-progress"));
    advance(10 * 60_000);
    const out = quick.owner!.hospitalId === "bd101" ? "baoding-report101" : "baoding-report001";
    t = await updateTask(
      deps,
      party(quick.owner!.hospitalId),
      quick.id,
      `W/"${t.version}"`,
      put("completed", { output: [{ valueReference: { reference: `DocumentReference/${out}` } }] }),
    );
    await updateTask(
      deps,
      requester,
      quick.id,
      `W/"${t.version}"`,
      put("completed", { businessStatus: { coding: [{ code: "report-reviewed" }] } }),
    );
    expect(acceptedLate.status).toBe("accepted");
    expect(["bd101", "bd102"]).toContain(owner.hospitalId);
    const day = late.createdAt.slice(0, 10);
    const kpis = await kpisBetween(deps.tasks, day, day);
    expect(kpis.total).toMatchObject({
      requests: 2,
      assignedWithinDeadlinePct: 100,
      acceptedWithinDeadlinePct: 100,
      redispatches: 1,
      closedLoopPct: 50,
    });
    expect(kpis.total.turnaroundMinutes.p50).toBe(10);
    expect(kpis.tiers).toEqual([expect.objectContaining({ tier: "county", requests: 2 })]);
    expect(kpis.hospitals).toEqual([expect.objectContaining({ hospitalId: "bd201", requests: 2 })]);
    await expect(kpisBetween(deps.tasks, day, "2020-01-01")).rejects.toMatchObject({ kind: "invalid" });
  });

  it("cancels a deceased resident's open Tasks, each party told, and leaves the finished ones", async () => {
    const { deps, sent } = memoryDeps(EXPERTS, DOCS);
    const a = (await requestTelemedicine(deps, requester, REQUEST)).task;
    const b = (await requestTelemedicine(deps, requester, REQUEST)).task;
    await updateTask(deps, requester, b.id, `W/"${b.version}"`, put("cancelled"));
    sent.length = 0;
    const done = await cancelOpenTasksOfResident(deps, "E1", "the resident died", new Date("2026-12-04T09:00:00Z"));
    expect(done.map((t) => t.id)).toEqual([a.id]);
    expect(await deps.tasks.get(a.id)).toMatchObject({ status: "cancelled", statusReason: "the resident died" });
    expect(sent.map((s) => s.hospitalId).sort()).toEqual([a.owner!.hospitalId, "bd201"].sort());
    expect(await cancelOpenTasksOfResident(deps, "E1", "again", new Date())).toEqual([]);
  });
});
