/**
 * Where a resident ID number was issued against where a record says the person lives. The first six
 * digits of a valid number are the GB/T 2260 code of the county-level division that issued it (the
 * household registration of the person's birth or first registration); most residents still live
 * there, so a record whose home lies in the county that issued the other record's number (or the
 * resident's) is evidence for the pair: about as likely between two residents as a county's share
 * of the province (Σ share² ≈ 1 %). A home in another county says little (people move, numbers issued
 * under since-renamed codes read as another county), so it weighs nothing. Pure.
 */
import { HEBEI_PREFECTURES } from "../divisions.ts";
import { normalizeAddress } from "./comparators.ts";
import type { Resident } from "./record.ts";
import type { PreparedRecord } from "./scorer.ts";

export type RegionLevel = "same" | "different" | "missing";

interface County {
  code: string;
  nameZh: string;
}

const PREFECTURES = HEBEI_PREFECTURES.map((p) => ({
  names: [p.nameZh, p.nameZh.replace(/市$/, "")],
  counties: p.counties.map(([code, nameZh]): County => ({ code, nameZh })),
}));
const ALL = PREFECTURES.flatMap((p) => p.counties);
/** county names held by one division only (桥西区 is Shijiazhuang's, Xingtai's and Zhangjiakou's) */
const UNIQUE = ALL.filter((c) => ALL.filter((o) => o.nameZh === c.nameZh).length === 1);

/**
 * The county-level division an address lies in, by its leading names ("河北省唐山市迁安市…",
 * "唐山迁安市…", or a county name only Hebei's one division holds: "迁安市…"); undefined when the
 * address does not name one.
 */
export function countyOfAddress(address: string | undefined): string | undefined {
  const a = normalizeAddress(address);
  if (!a) return undefined;
  for (const p of PREFECTURES) {
    const name = p.names.find((n) => a.startsWith(n));
    if (!name) continue;
    const rest = a.slice(name.length);
    const county = p.counties.find((c) => rest.startsWith(c.nameZh));
    if (county) return county.code;
  }
  return UNIQUE.find((c) => a.startsWith(c.nameZh))?.code;
}

/**
 * The county that issued the incoming record's number (when it is a key: valid and the record's own)
 * against the homes of the resident's records, and the county that issued the resident's number
 * against the incoming record's home: "same" when one of them lies in it, "different" when homes and
 * a number were there to compare and none did, else "missing". A household shares it (twins,
 * siblings): scorer.ts counts it, like phone and address, only where the person's own fields agree.
 */
export function regionLevel(incoming: PreparedRecord, resident: Resident): RegionLevel {
  let level: RegionLevel = "missing";
  const issued = incoming.id.use === "key" ? incoming.id.typed?.slice(0, 6) : undefined;
  if (issued)
    for (const stored of resident.records) {
      const county = countyOfAddress(stored.address);
      if (!county) continue;
      if (county === issued) return "same";
      level = "different";
    }
  const residentIssued = resident.residentId?.slice(0, 6);
  const home = residentIssued ? countyOfAddress(incoming.record.address) : undefined;
  if (residentIssued && home) return home === residentIssued ? "same" : "different";
  return level;
}
