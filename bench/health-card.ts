/**
 * Health card verification latency through the local province (docs/health-card.md): residents fed
 * and issued cards at a Baoding hospital, then `--terminals` terminals at hospitals of every city
 * verifying fresh dynamic codes at registration at once (each a city → hub internal API → HealthCards
 * and MPI round trip, audited), `--verifications` in all. Prints p50, p95 and p99, and the rate.
 * The authorizer is cached 60 s as API Gateway caches it (`--authorizer-cache 0`: the local default, every
 * request asks the hub who the credential is).
 *   npx tsx bench/health-card.ts [--terminals 20] [--verifications 1000] [--residents 50] [--authorizer-cache 60]
 */
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { dynamicCode } from "#domain/health-card.ts";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";
import { residentIdCheckChar } from "#schemas/checks/resident-id.ts";
import { mrnSystem, RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";

const { values } = parseArgs({
  options: {
    terminals: { type: "string", default: "20" },
    verifications: { type: "string", default: "1000" },
    residents: { type: "string", default: "50" },
    port: { type: "string", default: "18191" },
    "authorizer-cache": { type: "string", default: "60" },
  },
});
const terminals = Number(values.terminals);
const total = Number(values.verifications);
const residentCount = Number(values.residents);

const cacheSeconds = Number(values["authorizer-cache"]);
const province = await spawnProvince(freshDataDir(), Number(values.port), { HHC_AUTHORIZER_CACHE_SECONDS: String(cacheSeconds) });
try {
  const hospitals = province.credentials().hospitals.filter((h) => h.practitioners.length > 0);
  const issuer = hospitals.find((h) => h.cityId === "baoding")!;
  const post = async (h: (typeof hospitals)[number], path: string, body: unknown, practitioner?: string) => {
    const res = await fetch(`${province.url}/cities/${h.cityId}${path}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${h.credential}`,
        "content-type": "application/fhir+json",
        ...(practitioner ? { "x-practitioner-id": practitioner } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as { parameter?: { name: string; valueString?: string }[] } };
  };

  // residents: valid GB 11643 numbers born 1960–1999 in Baoding's Jingxiu district
  const cards: { cardId: string; cardKey: string }[] = [];
  for (let i = 0; i < residentCount; i++) {
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
      {
        resourceType: "Parameters",
        parameter: [{ name: "identifier", valueIdentifier: { system: RESIDENT_ID_SYSTEM, value: residentId } }],
      },
      issuer.practitioners[0],
    );
    if (issued.status !== 201) throw new Error(`issue ${i}: ${issued.status} ${JSON.stringify(issued.json)}`);
    const value = (name: string) => issued.json.parameter!.find((p) => p.name === name)!.valueString!;
    cards.push({ cardId: value("cardId"), cardKey: value("cardKey") });
  }

  // terminals at hospitals of every city in turn
  const cities = [...new Set(hospitals.map((h) => h.cityId))];
  const desks = Array.from({ length: terminals }, (_, i) => hospitals.find((h) => h.cityId === cities[i % cities.length])!);
  const verify = async (desk: (typeof desks)[number], n: number) => {
    const card = cards[n % cards.length]!;
    const code = dynamicCode(card.cardId, card.cardKey, Math.floor(Date.now() / 1000), randomBytes(12).toString("hex"));
    const body = {
      resourceType: "Parameters",
      parameter: [
        { name: "code", valueString: code },
        { name: "terminal", valueString: `${desk.id}-bench` },
        { name: "careStep", valueCode: "registration" },
      ],
    };
    const t0 = performance.now();
    const res = await post(desk, "/fhir/Patient/$verify-health-card", body);
    if (res.status !== 200) throw new Error(`verify: ${res.status} ${JSON.stringify(res.json)}`);
    return performance.now() - t0;
  };
  for (const [i, desk] of desks.entries()) await verify(desk, i); // warm-up: every city's function and the hub's

  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    desks.map(async (desk) => {
      while (next < total) latencies.push(await verify(desk, next++));
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]!.toFixed(0);
  console.log(
    `health card verification (dynamic code at registration), ${terminals} terminal(s) in ${new Set(desks.map((d) => d.cityId)).size} cities at once, ${latencies.length} verifications of ${residentCount} cards, authorizer cache ${cacheSeconds} s: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms; ${(latencies.length / seconds).toFixed(1)} /s`,
  );
} finally {
  await province.stop();
}
