import { describe, expect, it } from "vitest";
import { buildAuditEvent } from "#domain/audit.ts";
import { buildConnectionBoard, clockSkewSeconds, connectionStatus, patientDataExchange } from "#domain/connections.ts";

const now = new Date("2026-11-26T10:00:00.000Z");
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();

describe("connection status by the hub's clock", () => {
  it("is connected up to the window, silent after it, neverSeen without a heartbeat", () => {
    expect(connectionStatus(ago(0), now, 300)).toBe("connected");
    expect(connectionStatus(ago(300), now, 300)).toBe("connected");
    expect(connectionStatus(ago(301), now, 300)).toBe("silent");
    expect(connectionStatus(undefined, now, 300)).toBe("neverSeen");
  });
});

describe("the connection board", () => {
  const facilities = [
    { hospitalId: "bd001", cityId: "baoding" },
    { hospitalId: "bd002", cityId: "baoding" },
    { hospitalId: "hd001", cityId: "handan" },
    { hospitalId: "hd002", cityId: "handan" },
  ];
  const hb = (hospitalId: string, secondsAgo: number) => ({
    hospitalId,
    lastSeen: ago(secondsAgo),
    fepVersion: "1.0.0",
    backlog: 3,
    clockSkewSeconds: -2,
  });

  it("counts per city and in total, and lists every hospital", () => {
    const board = buildConnectionBoard(
      facilities,
      [hb("bd001", 10), hb("hd002", 3600), hb("unregistered", 1)],
      ["baoding", "handan", "hengshui"],
      now,
      300,
    );
    expect(board.totals).toEqual({ total: 4, connected: 1, silent: 1, neverSeen: 2, exchanging: 0 });
    expect(board.cities).toEqual([
      { cityId: "baoding", total: 2, connected: 1, silent: 0, neverSeen: 1, exchanging: 0 },
      { cityId: "handan", total: 2, connected: 0, silent: 1, neverSeen: 1, exchanging: 0 },
      { cityId: "hengshui", total: 0, connected: 0, silent: 0, neverSeen: 0, exchanging: 0 },
    ]);
    expect(board.hospitals.map((h) => [h.hospitalId, h.status])).toEqual([
      ["bd001", "connected"],
      ["bd002", "neverSeen"],
      ["hd001", "neverSeen"],
      ["hd002", "silent"],
    ]);
    expect(board.hospitals[1]).toMatchObject({ lastSeen: null, fepVersion: null, backlog: null, clockSkewSeconds: null });
    expect(board.hospitals[0]).toMatchObject({ fepVersion: "1.0.0", backlog: 3, clockSkewSeconds: -2 });
  });

  it("computes clock skew of the FEP against the platform in seconds", () => {
    expect(clockSkewSeconds("2026-11-26T18:00:30+08:00", "2026-11-26T10:00:00.000Z")).toBe(30);
    expect(clockSkewSeconds("2026-11-26T09:59:58.700Z", "2026-11-26T10:00:00.000Z")).toBe(-1.3);
  });
});

describe("exchanging", () => {
  const facilities = [
    { hospitalId: "bd001", cityId: "baoding" },
    { hospitalId: "bd002", cityId: "baoding" },
    { hospitalId: "hd001", cityId: "handan" },
  ];
  it("marks hospitals that exchanged patient data within 24 h, counted per city and in total", () => {
    const board = buildConnectionBoard(facilities, [], ["baoding", "handan"], now, 300, [
      { hospitalId: "bd001", lastExchangedAt: ago(24 * 3600) },
      { hospitalId: "hd001", lastExchangedAt: ago(24 * 3600 + 1) },
    ]);
    expect(board.hospitals.map((h) => [h.hospitalId, h.exchanging, h.lastExchangedAt])).toEqual([
      ["bd001", true, ago(24 * 3600)],
      ["bd002", false, null],
      ["hd001", false, ago(24 * 3600 + 1)],
    ]);
    expect(board.totals.exchanging).toBe(1);
    expect(board.cities.map((c) => [c.cityId, c.exchanging])).toEqual([
      ["baoding", 1],
      ["handan", 0],
    ]);
  });

  const access = (over: Partial<Parameters<typeof buildAuditEvent>[0]>) =>
    buildAuditEvent({
      action: "R",
      interaction: "read",
      node: "baoding",
      hospitalId: "bd001",
      patients: [],
      result: "success",
      recorded: now,
      ...over,
    }).event;
  it.each([
    ["a published document (C)", { action: "C" as const, interaction: "create" as const, resource: "DocumentReference/d1" }],
    ["a retrieved Binary", { resource: "Binary/b1" }],
    ["a document search", { interaction: "search-type" as const, query: "DocumentReference?patient.identifier=x|y" }],
    ["an encounter search", { interaction: "search-type" as const, query: "Encounter?patient.identifier=x|y" }],
    ["a transaction Bundle", { action: "C" as const, resource: "Bundle" }],
    ["a summary", { interaction: "operation" as const, query: "Patient/E0000000000013/$everything" }],
  ])("counts %s", (_, over) => {
    expect(patientDataExchange(access(over))).toEqual({ hospitalId: "bd001", lastExchangedAt: now.toISOString() });
  });
  it.each([
    ["a PIXm lookup", { action: "E" as const, interaction: "operation" as const, query: "Patient/$ihe-pix?sourceIdentifier=x|y" }],
    ["a PDQm search", { interaction: "search-type" as const, query: "Patient?family=x" }],
    ["a subscription", { action: "C" as const, resource: "Subscription" }],
    ["a refused retrieval", { resource: "Binary/b1", result: "refused" as const }],
    ["an operator's read", { resource: "Binary/b1", hospitalId: undefined, operator: true }],
  ])("does not count %s", (_, over) => {
    expect(patientDataExchange(access(over))).toBeUndefined();
  });
});
