/**
 * What the health card benches share (bench/health-card.ts, bench/health-card-round-trips.ts): a
 * hospital's POST to its city node, a resident fed and issued a card, a fresh dynamic code verified at
 * registration.
 */
import { randomBytes } from "node:crypto";
import { dynamicCode } from "#domain/health-card.ts";
import { residentIdCheckChar } from "#schemas/checks/resident-id.ts";
import { mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";

export interface Desk {
  id: string;
  cityId: string;
  credential: string;
  practitioners: string[];
}
export interface Card {
  cardId: string;
  cardKey: string;
}
type Answer = { status: number; json: { parameter?: { name: string; valueString?: string }[] } };

export const cityPost =
  (url: string) =>
  async (h: Desk, path: string, body: unknown, practitioner?: string): Promise<Answer> => {
    const res = await fetch(`${url}/cities/${h.cityId}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${h.credential}`,
        "content-type": "application/fhir+json",
        ...(practitioner ? { "x-practitioner-id": practitioner } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Answer["json"] };
  };

/** Resident `i` (a valid GB 11643 number born 1960–1999 in Baoding's Jingxiu district) fed at `issuer` and issued a card there */
export async function residentWithCard(cityPostOnce: ReturnType<typeof cityPost>, issuer: Desk, i: number): Promise<Card> {
  // the setup, not the measurement: a 429 from the hospital's throttle is waited out and sent again
  const post: typeof cityPostOnce = async (...args) => {
    for (;;) {
      const answer = await cityPostOnce(...args);
      if (answer.status !== 429) return answer;
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const first17 = `130602${1960 + (i % 40)}0${1 + (i % 9)}1${i % 10}${String(100 + i).slice(-3)}`;
  const residentId = first17 + residentIdCheckChar(first17);
  const patient = {
    resourceType: "Patient",
    identifier: [
      { system: mrnSystem(issuer.id), value: `BENCH-HC-${i}` },
      { system: RESIDENT_ID_SYSTEM, value: residentId },
    ],
    name: [{ family: "王", given: [`测${i}`] }],
    gender: i % 2 ? "male" : "female",
    birthDate: `${first17.slice(6, 10)}-${first17.slice(10, 12)}-${first17.slice(12, 14)}`,
  };
  const fed = await post(issuer, "/fhir/Patient", patient);
  if (fed.status !== 201) throw new Error(`feed ${i}: ${fed.status}`);
  const issued = await post(
    issuer,
    "/fhir/Patient/$issue-health-card",
    { resourceType: "Parameters", parameter: [{ name: "identifier", valueIdentifier: { system: RESIDENT_ID_SYSTEM, value: residentId } }] },
    issuer.practitioners[0],
  );
  if (issued.status !== 201) throw new Error(`issue ${i}: ${issued.status} ${JSON.stringify(issued.json)}`);
  const value = (name: string) => issued.json.parameter!.find((p) => p.name === name)!.valueString!;
  return { cardId: value("cardId"), cardKey: value("cardKey") };
}

/** A fresh dynamic code of `card` verified at registration at `desk`; throws unless accepted */
export async function verifyAtRegistration(post: ReturnType<typeof cityPost>, desk: Desk, card: Card, terminal: string): Promise<void> {
  const code = dynamicCode(card.cardId, card.cardKey, Math.floor(Date.now() / 1000), randomBytes(12).toString("hex"));
  const res = await post(desk, "/fhir/Patient/$verify-health-card", {
    resourceType: "Parameters",
    parameter: [
      { name: "code", valueString: code },
      { name: "terminal", valueString: terminal },
      { name: "careStep", valueCode: "registration" },
    ],
  });
  if (res.status !== 200) throw new Error(`verify: ${res.status} ${JSON.stringify(res.json)}`);
}
