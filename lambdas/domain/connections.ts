/**
 * The connection board: which hospitals are connected (a heartbeat within the window, by the
 * hub's clock), silent (seen before, not within the window) or never seen. Pure.
 */
export type ConnectionStatus = "connected" | "silent" | "neverSeen";

export interface FacilitySummary {
  hospitalId: string;
  cityId: string;
}

export interface LastHeartbeat {
  hospitalId: string;
  lastSeen: string;
  fepVersion: string;
  backlog: number;
  clockSkewSeconds: number;
}

export interface HospitalConnection {
  hospitalId: string;
  cityId: string;
  status: ConnectionStatus;
  lastSeen: string | null;
  fepVersion: string | null;
  backlog: number | null;
  clockSkewSeconds: number | null;
}

export interface Counts {
  total: number;
  connected: number;
  silent: number;
  neverSeen: number;
}

export interface ConnectionBoard {
  totals: Counts;
  cities: (Counts & { cityId: string })[];
  hospitals: HospitalConnection[];
}

export function connectionStatus(lastSeen: string | undefined, now: Date, windowSeconds: number): ConnectionStatus {
  if (!lastSeen) return "neverSeen";
  return now.getTime() - Date.parse(lastSeen) <= windowSeconds * 1000 ? "connected" : "silent";
}

const emptyCounts = (): Counts => ({ total: 0, connected: 0, silent: 0, neverSeen: 0 });

/** Builds the board over the registered facilities; heartbeats of unregistered ids are ignored. */
export function buildConnectionBoard(
  facilities: FacilitySummary[],
  heartbeats: LastHeartbeat[],
  cityOrder: readonly string[],
  now: Date,
  windowSeconds: number,
): ConnectionBoard {
  const last = new Map(heartbeats.map((h) => [h.hospitalId, h]));
  const totals = emptyCounts();
  const perCity = new Map(cityOrder.map((c) => [c, emptyCounts()]));
  const hospitals = [...facilities]
    .sort((a, b) => a.hospitalId.localeCompare(b.hospitalId))
    .map((f): HospitalConnection => {
      const hb = last.get(f.hospitalId);
      const status = connectionStatus(hb?.lastSeen, now, windowSeconds);
      for (const counts of [totals, perCity.get(f.cityId) ?? perCity.set(f.cityId, emptyCounts()).get(f.cityId)!]) {
        counts.total++;
        counts[status]++;
      }
      return {
        hospitalId: f.hospitalId,
        cityId: f.cityId,
        status,
        lastSeen: hb?.lastSeen ?? null,
        fepVersion: hb?.fepVersion ?? null,
        backlog: hb?.backlog ?? null,
        clockSkewSeconds: hb?.clockSkewSeconds ?? null,
      };
    });
  return { totals, cities: [...perCity].map(([cityId, counts]) => ({ cityId, ...counts })), hospitals };
}

/** Seconds the FEP's clock is ahead (+) or behind (−) the platform's, to one decimal. */
export const clockSkewSeconds = (fepClock: string, platformTime: string): number =>
  Math.round((Date.parse(fepClock) - Date.parse(platformTime)) / 100) / 10;
