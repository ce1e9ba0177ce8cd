import { describe, expect, it } from "vitest";
import { auditedHospitals, buildAuditEvent } from "#domain/audit.ts";
import { accessReport, parseAuditQuery } from "#use-cases/audit-search.ts";

const patient = { system: "https://hebei.health/sid/resident-id", value: "130602199001011234" };

describe("BALP AuditEvent", () => {
  it("names who (hospital, practitioner), what (patient, query), when, where and the outcome", () => {
    const { event, index } = buildAuditEvent(
      {
        action: "E",
        interaction: "search-type",
        node: "baoding",
        hospitalId: "bd001",
        practitionerId: "bd001-p003",
        patients: [patient],
        query: "Patient?identifier=x",
        result: "success",
        recorded: new Date("2026-11-26T01:02:03Z"),
      },
      "ev-1",
    );
    expect(event).toMatchObject({
      resourceType: "AuditEvent",
      id: "ev-1",
      action: "E",
      outcome: "0",
      recorded: "2026-11-26T01:02:03.000Z",
      source: { site: "baoding" },
    });
    const agents = event.agent as { who: { reference?: string }; requestor: boolean }[];
    expect(agents.filter((a) => a.requestor).map((a) => a.who.reference)).toEqual(["Practitioner/bd001-p003"]);
    expect(agents.map((a) => a.who.reference)).toContain("Organization/bd001");
    const entities = event.entity as { what?: { identifier?: unknown }; query?: string }[];
    expect(entities[0]!.what!.identifier).toEqual(patient);
    expect(Buffer.from(entities[1]!.query!, "base64").toString()).toBe("Patient?identifier=x");
    expect(index).toEqual({
      recorded: "2026-11-26T01:02:03.000Z",
      patients: [`${patient.system}|${patient.value}`],
      agents: ["bd001", "bd001-p003"],
      outcome: "0",
      node: "baoding",
    });
  });

  it("records a refusal as a minor failure with its reason", () => {
    const { event, index } = buildAuditEvent({
      action: "R",
      interaction: "read",
      node: "handan",
      hospitalId: "hd002",
      practitionerId: "bd001-p001",
      patients: [],
      result: "refused",
      detail: "not a practitioner of hd002",
      recorded: new Date("2026-11-26T01:02:03Z"),
    });
    expect(event.outcome).toBe("4");
    expect(event.outcomeDesc).toBe("not a practitioner of hd002");
    expect(index.agents).toEqual(["hd002", "bd001-p001"]);
  });

  it("names each patient once, however often the access named them (the index is keyed per patient)", () => {
    const a = { system: "https://hebei.health/sid/empi", value: "E1" };
    const b = { system: "https://hebei.health/sid/empi", value: "E2" };
    const { event, index } = buildAuditEvent({
      action: "E",
      interaction: "search-type",
      node: "hub",
      operator: true,
      patients: [a, b, { ...a }, b],
      result: "success",
      recorded: new Date("2026-11-26T01:02:03Z"),
    });
    expect(index.patients).toEqual([`${a.system}|E1`, `${b.system}|E2`]);
    expect((event.entity as unknown[]).length).toBe(2);
  });
});

describe("audit search parameters", () => {
  it("parses patient, agent, outcome and a date range", () => {
    const q = parseAuditQuery({
      "patient.identifier": ["s|v"],
      agent: ["Practitioner/p1"],
      outcome: ["4"],
      date: ["ge2026-11-26", "lt2026-11-28T00:00:00+08:00"],
    });
    expect(q).toEqual({
      patient: "s|v",
      agent: "p1",
      outcome: "4",
      from: "2026-11-26T00:00:00.000Z",
      to: "2026-11-27T16:00:00.000Z",
      count: 50,
    });
    expect(parseAuditQuery({ date: ["2026-11-26"] })).toMatchObject({ from: "2026-11-26T00:00:00.000Z", to: "2026-11-27T00:00:00.000Z" });
  });

  it.each([
    [{ subject: ["x"] }, "subject"],
    [{ "patient.identifier": ["no-bar"] }, "patient.identifier"],
    [{ date: ["yesterday"] }, "date"],
    [{ agent: ["a"], outcome: ["1"] }, "outcome"],
    [{ agent: ["a"], _count: ["0"] }, "_count"],
    [{}, "patient.identifier"],
  ])("refuses %j naming %s", (params, field) => {
    expect(() => parseAuditQuery(params as Record<string, string[]>)).toThrow(
      expect.objectContaining({ kind: "invalid", issues: [expect.objectContaining({ expression: field })] }),
    );
  });
});

describe("access report", () => {
  it("groups the accesses to a resident by hospital with practitioners and refusals", () => {
    const mk = (id: string, hospitalId: string, practitionerId: string, result: "success" | "refused", at: string) => {
      const { event, index } = buildAuditEvent(
        {
          action: "R",
          interaction: "read",
          node: "baoding",
          hospitalId,
          practitionerId,
          patients: [patient],
          result,
          recorded: new Date(at),
        },
        id,
      );
      return { id, ...index, event };
    };
    const report = accessReport("s|v", [
      mk("1", "bd001", "p1", "success", "2026-11-26T01:00:00Z"),
      mk("2", "bd001", "p2", "refused", "2026-11-26T02:00:00Z"),
      mk("3", "hd004", "p9", "success", "2026-11-25T02:00:00Z"),
    ]);
    expect(report.total).toBe(3);
    expect(report.byHospital).toEqual([
      { hospitalId: "bd001", accesses: 2, refused: 1, practitioners: ["p1", "p2"], last: "2026-11-26T02:00:00.000Z" },
      { hospitalId: "hd004", accesses: 1, refused: 0, practitioners: ["p9"], last: "2026-11-25T02:00:00.000Z" },
    ]);
    expect(report.accesses[1]).toMatchObject({ hospitalId: "bd001", practitionerId: "p2", outcome: "refused", auditEvent: "AuditEvent/2" });
  });
});

describe("the hospitals a city's AuditEvent names (each must be of that city)", () => {
  const built = buildAuditEvent({
    action: "R",
    interaction: "read",
    node: "baoding",
    hospitalId: "bd001",
    practitionerId: "bd001-p003",
    patients: [patient],
    resource: "Binary/b-1",
    result: "success",
    recorded: new Date("2026-11-26T01:02:03Z"),
  });

  it("is its Organization agent, not its practitioner", () => {
    expect(auditedHospitals(built.event, built.index)).toEqual(["bd001"]);
  });

  it("includes an id it is indexed by that no agent names, so that it cannot be filed under another city's hospital", () => {
    expect(auditedHospitals(built.event, { agents: [...built.index.agents, "ts002"] })).toEqual(["bd001", "ts002"]);
    const agent = [...(built.event.agent as unknown[]), { who: { reference: "Organization/ts003" } }];
    expect(auditedHospitals({ ...built.event, agent }, built.index)).toEqual(["bd001", "ts003"]);
  });
});
