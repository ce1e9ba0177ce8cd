/**
 * The simulated province's day (npm run simulate; docs/simulation.md): a seeded random source, the
 * hour-by-hour intensity of hospital work, and the FHIR resources hospitals' systems produce —
 * patients (with realistic registration errors), encounters, documents and claims.
 */
import { createHash } from "node:crypto";
import { residentIdCheckChar } from "#domain/mpi/resident-id.ts";

/** mulberry32: small, fast, seeded; the same seed replays the same day */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Poisson-distributed count with mean `mean` (Knuth; means here are small) */
export function poisson(rnd: () => number, mean: number): number {
  if (mean <= 0) return 0;
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rnd();
  while (p > limit) {
    k++;
    p *= rnd();
  }
  return k;
}

/**
 * Relative intensity of hospital work by hour of the day (0–23): clinics from 8 to 12 and 14 to 17,
 * wards and emergencies around the clock. Averages 1 over a day.
 */
export function intensity(hour: number): number {
  const h = ((hour % 24) + 24) % 24;
  const raw = h < 6 ? 0.15 : h < 8 ? 0.6 : h < 12 ? 2.2 : h < 14 ? 1.0 : h < 17 ? 2.0 : h < 21 ? 0.8 : 0.3;
  return raw / DAY_MEAN;
}
const DAY_MEAN =
  [...Array(24).keys()].reduce(
    (s, h) => s + (h < 6 ? 0.15 : h < 8 ? 0.6 : h < 12 ? 2.2 : h < 14 ? 1.0 : h < 17 ? 2.0 : h < 21 ? 0.8 : 0.3),
    0,
  ) / 24;

const FAMILY = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"];
const GIVEN = [
  "建国",
  "秀英",
  "桂兰",
  "志强",
  "丽娟",
  "海燕",
  "国庆",
  "淑珍",
  "文斌",
  "红梅",
  "晓东",
  "玉兰",
  "子涵",
  "浩然",
  "欣怡",
  "雨轩",
];
/** Same sound, other characters: the commonest slip at a registration desk */
const HOMOPHONE: Record<string, string> = {
  秀英: "秀瑛",
  桂兰: "贵兰",
  志强: "智强",
  丽娟: "丽鹃",
  海燕: "海艳",
  文斌: "文彬",
  红梅: "红玫",
  晓东: "小东",
};

export interface SimResident {
  residentId: string;
  family: string;
  given: string;
  gender: "male" | "female";
  birthDate: string;
}

/** The `n`-th resident of a city (its admin code + a county), with a valid GB 11643 number */
export function simResident(n: number, adminCode: string): SimResident {
  const day = new Date(Date.UTC(1940, 0, 1) + ((n * 7919) % 29000) * 86_400_000).toISOString().slice(0, 10);
  const seq = String(n % 997).padStart(3, "0");
  const first17 = `${adminCode}02${day.replaceAll("-", "")}${seq}`;
  return {
    residentId: `${first17}${residentIdCheckChar(first17)}`,
    family: FAMILY[n % FAMILY.length]!,
    given: GIVEN[Math.floor(n / FAMILY.length) % GIVEN.length]!,
    gender: Number(seq) % 2 === 1 ? "male" : "female",
    birthDate: day,
  };
}

export type RegistrationSlip = "none" | "homophone" | "check-char" | "bad-birth-date";

/** A hospital's Patient for a resident, with the slip a registration desk made (if any) */
export function patientResource(hospitalId: string, mrn: string, r: SimResident, slip: RegistrationSlip) {
  const given = slip === "homophone" ? (HOMOPHONE[r.given] ?? r.given) : r.given;
  const residentId = slip === "check-char" ? `${r.residentId.slice(0, 17)}${r.residentId.endsWith("0") ? "1" : "0"}` : r.residentId;
  return {
    resourceType: "Patient",
    identifier: [
      { system: `https://hebei.health/sid/mrn/${hospitalId}`, value: mrn },
      { system: "https://hebei.health/sid/resident-id", value: residentId },
    ],
    name: [{ family: r.family, given: [given] }],
    gender: r.gender,
    // a date typed into the wrong field: the node refuses it (400) and the FEP puts it aside
    birthDate: slip === "bad-birth-date" ? r.birthDate.replace(/-(\d\d)-/, "-13-") : r.birthDate,
  };
}

const mrnIdentifier = (hospitalId: string, mrn: string) => ({ system: `https://hebei.health/sid/mrn/${hospitalId}`, value: mrn });

export function encounterResource(hospitalId: string, number: string, mrn: string, inpatient: boolean, start: string, end?: string) {
  return {
    resourceType: "Encounter",
    identifier: [{ system: `https://hebei.health/sid/encounter/${hospitalId}`, value: number }],
    status: end ? "finished" : "in-progress",
    class: inpatient
      ? { system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "IMP", display: "inpatient encounter" }
      : { system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "AMB", display: "ambulatory" },
    subject: { identifier: mrnIdentifier(hospitalId, mrn) },
    period: { start, ...(end ? { end } : {}) },
  };
}

/** Document kinds hospitals publish: LOINC with the national WS/T 500 code beside it */
const DOCUMENT_TYPES = [
  { loinc: "34133-9", wst: "C0032", title: "门诊摘要 Outpatient summary" },
  { loinc: "18842-5", wst: "C0053", title: "出院小结 Discharge summary" },
  { loinc: "11502-2", wst: "C0009", title: "检验报告 Laboratory report" },
  { loinc: "18748-4", wst: "C0011", title: "检查报告 Imaging report" },
];

/** A WS/T 500-style CDA document of about `bytes` bytes */
export function cdaDocument(title: string, r: SimResident, bytes: number, rnd: () => number): string {
  const head = `<?xml version="1.0" encoding="UTF-8"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>${title}</title><recordTarget><patientRole><id root="2.16.156.10011.1.3" extension="${r.residentId}"/><patient><name>${r.family}${r.given}</name></patient></patientRole></recordTarget><component><structuredBody>`;
  const words = ["主诉", "现病史", "既往史", "体格检查", "诊断", "处理", "医嘱", "血常规", "正常", "随访"];
  const parts: string[] = [head];
  let size = Buffer.byteLength(head);
  while (size < bytes) {
    const para = `<section><text>${words[Math.floor(rnd() * words.length)]}：${Math.floor(rnd() * 1e9).toString(36)}。</text></section>`;
    parts.push(para);
    size += Buffer.byteLength(para);
  }
  parts.push("</structuredBody></component></ClinicalDocument>");
  return parts.join("");
}

/** An MHD publish (ITI-65) transaction Bundle with the document inline */
export function documentBundle(
  hospitalId: string,
  practitionerId: string,
  number: string,
  mrn: string,
  r: SimResident,
  at: string,
  kind: number,
  bytes: number,
  rnd: () => number,
) {
  const type = DOCUMENT_TYPES[kind % DOCUMENT_TYPES.length]!;
  const content = Buffer.from(cdaDocument(type.title, r, bytes, rnd), "utf8");
  return {
    resourceType: "Bundle",
    type: "transaction",
    entry: [
      {
        fullUrl: "urn:uuid:document",
        request: { method: "POST", url: "DocumentReference" },
        resource: {
          resourceType: "DocumentReference",
          status: "current",
          masterIdentifier: { system: `https://hebei.health/sid/document/${hospitalId}`, value: number },
          type: {
            coding: [
              { system: "http://loinc.org", code: type.loinc },
              { system: "https://hebei.health/CodeSystem/ws-t-500", code: type.wst },
            ],
            text: type.title,
          },
          subject: { identifier: mrnIdentifier(hospitalId, mrn) },
          date: at,
          author: [{ reference: `Practitioner/${practitionerId}` }],
          content: [
            {
              attachment: {
                contentType: "application/xml",
                url: "urn:uuid:content",
                size: content.length,
                hash: createHash("sha1").update(content).digest("base64"),
              },
            },
          ],
        },
      },
      {
        fullUrl: "urn:uuid:content",
        request: { method: "POST", url: "Binary" },
        resource: { resourceType: "Binary", contentType: "application/xml", data: content.toString("base64") },
      },
    ],
  };
}

/** A claim as a hospital's billing system sends it (docs/settlement.md); amounts in CNY with 2 decimals */
export function claimResource(
  hospitalId: string,
  number: string,
  mrn: string,
  inpatient: boolean,
  serviceDate: string,
  created: string,
  rnd: () => number,
) {
  const items = Array.from({ length: 1 + Math.floor(rnd() * 4) }, (_, i) => {
    const fen = inpatient ? 20_000 + Math.floor(rnd() * 1_500_000) : 500 + Math.floor(rnd() * 60_000);
    const category = rnd() < 0.6 ? "A" : rnd() < 0.85 ? "B" : "C";
    return {
      sequence: i + 1,
      productOrService: { coding: [{ system: "https://hebei.health/fhir/CodeSystem/service", code: `S${100 + i}` }] },
      net: { value: Number(`${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`), currency: "CNY" },
      extension: [{ url: "https://hebei.health/fhir/StructureDefinition/insurance-category", valueCode: category }],
    };
  });
  return {
    resourceType: "Claim",
    identifier: [{ system: `https://hebei.health/sid/claim/${hospitalId}`, value: number }],
    status: "active",
    type: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/claim-type", code: inpatient ? "institutional" : "professional" }] },
    use: "claim",
    patient: { identifier: mrnIdentifier(hospitalId, mrn) },
    billablePeriod: { start: serviceDate, end: serviceDate },
    created,
    provider: { reference: `Organization/${hospitalId}` },
    priority: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/processpriority", code: "normal" }] },
    insurance: [{ sequence: 1, focal: true, coverage: { display: "城乡居民基本医疗保险" } }],
    item: items,
  };
}
