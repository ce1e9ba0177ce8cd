import { describe, expect, it } from "vitest";
import { buildConnectionBoard, clockSkewSeconds, connectionStatus } from "#domain/connections.ts";

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
    expect(board.totals).toEqual({ total: 4, connected: 1, silent: 1, neverSeen: 2 });
    expect(board.cities).toEqual([
      { cityId: "baoding", total: 2, connected: 1, silent: 0, neverSeen: 1 },
      { cityId: "handan", total: 2, connected: 0, silent: 1, neverSeen: 1 },
      { cityId: "hengshui", total: 0, connected: 0, silent: 0, neverSeen: 0 },
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
