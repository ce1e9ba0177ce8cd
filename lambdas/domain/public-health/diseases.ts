/**
 * The notifiable infectious diseases (Law of the PRC on the Prevention and Control of Infectious
 * Diseases, with the National Health Commission's adjustments), as data: each disease's class, the
 * ICD-10 codes that name it, and its reporting limit. Class A and class B diseases managed as class A:
 * 2 hours from diagnosis; other class B and class C: 24 hours. A code matches a listed code by prefix at
 * a code boundary (A01 matches A01.0 and the clinical edition's A01.000x001, not A010); the longest
 * listed match wins (A22.1, pneumonic anthrax, before A22, anthrax). docs/public-health.md lists them. Pure.
 */
export type DiseaseClass = "A" | "B-as-A" | "B" | "C";

export interface NotifiableDisease {
  id: string;
  name: string;
  nameZh: string;
  class: DiseaseClass;
  icd10: readonly string[];
}

const HOUR_MS = 3_600_000;
export const LIMIT_HOURS: Record<DiseaseClass, number> = { A: 2, "B-as-A": 2, B: 24, C: 24 };

export const NOTIFIABLE_DISEASES: readonly NotifiableDisease[] = [
  { id: "plague", name: "Plague", nameZh: "鼠疫", class: "A", icd10: ["A20"] },
  { id: "cholera", name: "Cholera", nameZh: "霍乱", class: "A", icd10: ["A00"] },
  { id: "pneumonic-anthrax", name: "Pulmonary anthrax", nameZh: "肺炭疽", class: "B-as-A", icd10: ["A22.1"] },
  { id: "sars", name: "SARS", nameZh: "传染性非典型肺炎", class: "B-as-A", icd10: ["U04"] },
  { id: "hiv", name: "HIV infection and AIDS", nameZh: "艾滋病", class: "B", icd10: ["B20", "B21", "B22", "B23", "B24", "Z21"] },
  { id: "viral-hepatitis", name: "Viral hepatitis", nameZh: "病毒性肝炎", class: "B", icd10: ["B15", "B16", "B17", "B18", "B19"] },
  { id: "poliomyelitis", name: "Poliomyelitis", nameZh: "脊髓灰质炎", class: "B", icd10: ["A80"] },
  { id: "avian-influenza", name: "Human infection with avian influenza", nameZh: "人感染高致病性禽流感", class: "B", icd10: ["J09"] },
  { id: "measles", name: "Measles", nameZh: "麻疹", class: "B", icd10: ["B05"] },
  { id: "hfrs", name: "Haemorrhagic fever with renal syndrome", nameZh: "流行性出血热", class: "B", icd10: ["A98.5"] },
  { id: "rabies", name: "Rabies", nameZh: "狂犬病", class: "B", icd10: ["A82"] },
  { id: "japanese-encephalitis", name: "Japanese encephalitis", nameZh: "流行性乙型脑炎", class: "B", icd10: ["A83.0"] },
  { id: "dengue", name: "Dengue", nameZh: "登革热", class: "B", icd10: ["A90", "A91", "A97"] },
  { id: "anthrax", name: "Anthrax (other than pulmonary)", nameZh: "炭疽", class: "B", icd10: ["A22"] },
  { id: "dysentery", name: "Bacillary and amoebic dysentery", nameZh: "细菌性和阿米巴性痢疾", class: "B", icd10: ["A03", "A06.0"] },
  { id: "tuberculosis", name: "Pulmonary tuberculosis", nameZh: "肺结核", class: "B", icd10: ["A15", "A16"] },
  { id: "typhoid", name: "Typhoid and paratyphoid fever", nameZh: "伤寒和副伤寒", class: "B", icd10: ["A01"] },
  { id: "meningococcal", name: "Meningococcal meningitis", nameZh: "流行性脑脊髓膜炎", class: "B", icd10: ["A39"] },
  { id: "pertussis", name: "Pertussis", nameZh: "百日咳", class: "B", icd10: ["A37"] },
  { id: "diphtheria", name: "Diphtheria", nameZh: "白喉", class: "B", icd10: ["A36"] },
  { id: "neonatal-tetanus", name: "Neonatal tetanus", nameZh: "新生儿破伤风", class: "B", icd10: ["A33"] },
  { id: "scarlet-fever", name: "Scarlet fever", nameZh: "猩红热", class: "B", icd10: ["A38"] },
  { id: "brucellosis", name: "Brucellosis", nameZh: "布鲁氏菌病", class: "B", icd10: ["A23"] },
  { id: "gonorrhoea", name: "Gonorrhoea", nameZh: "淋病", class: "B", icd10: ["A54"] },
  { id: "syphilis", name: "Syphilis", nameZh: "梅毒", class: "B", icd10: ["A50", "A51", "A52", "A53"] },
  { id: "leptospirosis", name: "Leptospirosis", nameZh: "钩端螺旋体病", class: "B", icd10: ["A27"] },
  { id: "schistosomiasis", name: "Schistosomiasis", nameZh: "血吸虫病", class: "B", icd10: ["B65"] },
  { id: "malaria", name: "Malaria", nameZh: "疟疾", class: "B", icd10: ["B50", "B51", "B52", "B53", "B54"] },
  { id: "covid-19", name: "COVID-19", nameZh: "新型冠状病毒感染", class: "B", icd10: ["U07.1", "U07.2"] },
  { id: "mpox", name: "Mpox", nameZh: "猴痘", class: "B", icd10: ["B04"] },
  { id: "influenza", name: "Influenza", nameZh: "流行性感冒", class: "C", icd10: ["J10", "J11"] },
  { id: "mumps", name: "Mumps", nameZh: "流行性腮腺炎", class: "C", icd10: ["B26"] },
  { id: "rubella", name: "Rubella", nameZh: "风疹", class: "C", icd10: ["B06"] },
  {
    id: "haemorrhagic-conjunctivitis",
    name: "Acute haemorrhagic conjunctivitis",
    nameZh: "急性出血性结膜炎",
    class: "C",
    icd10: ["B30.3"],
  },
  { id: "leprosy", name: "Leprosy", nameZh: "麻风病", class: "C", icd10: ["A30"] },
  { id: "typhus", name: "Epidemic and endemic typhus", nameZh: "流行性和地方性斑疹伤寒", class: "C", icd10: ["A75"] },
  { id: "kala-azar", name: "Visceral leishmaniasis", nameZh: "黑热病", class: "C", icd10: ["B55.0"] },
  { id: "echinococcosis", name: "Echinococcosis", nameZh: "包虫病", class: "C", icd10: ["B67"] },
  { id: "filariasis", name: "Filariasis", nameZh: "丝虫病", class: "C", icd10: ["B74"] },
  { id: "hand-foot-mouth", name: "Hand, foot and mouth disease", nameZh: "手足口病", class: "C", icd10: ["B08.4"] },
  {
    id: "infectious-diarrhoea",
    name: "Other infectious diarrhoea",
    nameZh: "其它感染性腹泻病",
    class: "C",
    icd10: ["A02", "A04", "A05", "A07", "A08", "A09"],
  },
];

/** Does `code` fall under the listed `prefix` (at a code boundary)? */
export function codeMatches(code: string, prefix: string): boolean {
  if (code === prefix) return true;
  if (!code.startsWith(prefix)) return false;
  return prefix.includes(".") || code[prefix.length] === ".";
}

/** The notifiable disease an ICD-10 code names (the longest listed match), or undefined */
export function notifiableDisease(code: string): NotifiableDisease | undefined {
  let best: { disease: NotifiableDisease; length: number } | undefined;
  for (const disease of NOTIFIABLE_DISEASES)
    for (const prefix of disease.icd10)
      if (codeMatches(code, prefix) && (!best || prefix.length > best.length)) best = { disease, length: prefix.length };
  return best?.disease;
}

export const diseaseById = (id: string): NotifiableDisease | undefined => NOTIFIABLE_DISEASES.find((d) => d.id === id);

/** The reporting deadline: the diagnosis time plus the disease's limit */
export const deadlineOf = (diagnosedAt: string, disease: Pick<NotifiableDisease, "class">): string =>
  new Date(Date.parse(diagnosedAt) + LIMIT_HOURS[disease.class] * HOUR_MS).toISOString();

/** Half-way to the deadline: when a hospital that has not reported is reminded */
export const remindAtOf = (diagnosedAt: string, disease: Pick<NotifiableDisease, "class">): string =>
  new Date(Date.parse(diagnosedAt) + (LIMIT_HOURS[disease.class] * HOUR_MS) / 2).toISOString();

/** An encounter's own diagnoses that name a notifiable disease: the contained Conditions its `diagnosis` references */
export function notifiableDiagnoses(encounter: {
  status: string;
  contained?: readonly { id: string; code: { coding: readonly { system?: string; code: string }[] }; recordedDate: string }[];
  diagnosis?: readonly { condition: { reference: string } }[];
}): { code: string; diagnosedAt: string }[] {
  if (encounter.status === "cancelled" || encounter.status === "entered-in-error") return [];
  const referenced = new Set((encounter.diagnosis ?? []).map((d) => d.condition.reference.slice(1)));
  return (encounter.contained ?? [])
    .filter((c) => referenced.has(c.id))
    .flatMap((c) =>
      c.code.coding
        .filter((coding) => coding.system === "http://hl7.org/fhir/sid/icd-10" && notifiableDisease(coding.code))
        .slice(0, 1)
        .map((coding) => ({ code: coding.code, diagnosedAt: c.recordedDate })),
    );
}
