/**
 * The connection board: which hospitals are connected (a heartbeat within the window, by the
 * hub's clock), silent (seen before, not within the window) or never seen; and which are
 * exchanging (published or retrieved patient data within the last 24 h), so that connected but
 * idle hospitals stand out. Pure.
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
  /** Published or retrieved patient data within the exchanging window */
  exchanging: boolean;
  lastExchangedAt: string | null;
}

/** A hospital's latest audited exchange of patient clinical data (see patientDataExchange) */
export interface LastExchange {
  hospitalId: string;
  lastExchangedAt: string;
}

/** Exchanging means patient data moved within this long (issue 5, item 6) */
export const EXCHANGING_WINDOW_SECONDS = 24 * 3600;

export interface Counts {
  total: number;
  connected: number;
  silent: number;
  neverSeen: number;
  exchanging: number;
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

const emptyCounts = (): Counts => ({ total: 0, connected: 0, silent: 0, neverSeen: 0, exchanging: 0 });

/** Builds the board over the registered facilities; heartbeats of unregistered ids are ignored. */
export function buildConnectionBoard(
  facilities: FacilitySummary[],
  heartbeats: LastHeartbeat[],
  cityOrder: readonly string[],
  now: Date,
  windowSeconds: number,
  exchanges: LastExchange[] = [],
  exchangingWindowSeconds = EXCHANGING_WINDOW_SECONDS,
): ConnectionBoard {
  const last = new Map(heartbeats.map((h) => [h.hospitalId, h]));
  const exchanged = new Map(exchanges.map((e) => [e.hospitalId, e.lastExchangedAt]));
  const totals = emptyCounts();
  const perCity = new Map(cityOrder.map((c) => [c, emptyCounts()]));
  const hospitals = [...facilities]
    .sort((a, b) => a.hospitalId.localeCompare(b.hospitalId))
    .map((f): HospitalConnection => {
      const hb = last.get(f.hospitalId);
      const status = connectionStatus(hb?.lastSeen, now, windowSeconds);
      const lastExchangedAt = exchanged.get(f.hospitalId) ?? null;
      const exchanging = lastExchangedAt !== null && now.getTime() - Date.parse(lastExchangedAt) <= exchangingWindowSeconds * 1000;
      for (const counts of [totals, perCity.get(f.cityId) ?? perCity.set(f.cityId, emptyCounts()).get(f.cityId)!]) {
        counts.total++;
        counts[status]++;
        if (exchanging) counts.exchanging++;
      }
      return {
        hospitalId: f.hospitalId,
        cityId: f.cityId,
        status,
        lastSeen: hb?.lastSeen ?? null,
        fepVersion: hb?.fepVersion ?? null,
        backlog: hb?.backlog ?? null,
        clockSkewSeconds: hb?.clockSkewSeconds ?? null,
        exchanging,
        lastExchangedAt,
      };
    });
  return { totals, cities: [...perCity].map(([cityId, counts]) => ({ cityId, ...counts })), hospitals };
}

/** Seconds the FEP's clock is ahead (+) or behind (−) the platform's, to one decimal. */
export const clockSkewSeconds = (fepClock: string, platformTime: string): number =>
  Math.round((Date.parse(fepClock) - Date.parse(platformTime)) / 100) / 10;

/** Resources whose reads and writes are patient clinical data (PIXm/PDQm identity lookups are not) */
const CLINICAL = /^(DocumentReference|Binary|Encounter|Bundle)([/?]|$)|^Patient\/[^/?]+\/\$everything/;

/**
 * The hospital and time of an audited access that counts as exchanging patient data: a successful
 * (outcome 0) access by a hospital whose resource or query is a DocumentReference, Binary, Encounter,
 * Bundle or a Patient's $everything — publishing (C) and searching or retrieving (R, E) alike.
 */
export function patientDataExchange(event: Record<string, unknown>): LastExchange | undefined {
  if (event.outcome !== "0" || typeof event.recorded !== "string") return undefined;
  const agents = (event.agent as { who?: { reference?: string } }[] | undefined) ?? [];
  const hospital = agents.map((a) => /^Organization\/(.+)$/.exec(a.who?.reference ?? "")?.[1]).find(Boolean);
  if (!hospital) return undefined;
  const entities = (event.entity as { what?: { reference?: string }; query?: string }[] | undefined) ?? [];
  const clinical = entities.some(
    (e) =>
      CLINICAL.test(e.what?.reference ?? "") || (e.query !== undefined && CLINICAL.test(Buffer.from(e.query, "base64").toString("utf8"))),
  );
  return clinical ? { hospitalId: hospital, lastExchangedAt: event.recorded } : undefined;
}
