/**
 * Clinical documents end to end through the local province: 50 simulated hospitals (seeded
 * credentials and practitioners, spread over the cities) register their patients through the PIXm
 * feed, then publish 100 KB documents (MHD ITI-65) as fast as they are answered, while checkers in
 * other cities search (ITI-67) until each document is findable province-wide (the hub's record
 * locator). Prints documents/s published end to end (first publish → last document findable
 * elsewhere), publish and search latency p50/p99, how long after its 2xx a document became findable
 * from another city (its 2xx → the hub's index → the end of the first search that found it, less the
 * time that search started after the index held it: the checkers go round 50 hospitals, and their
 * round is the bench's, not the province's; the poll-based figure with it is printed too), and
 * exactly, from the hub's table, how long each document took from its city's record to the hub's index;
 * then where that time went per document: its city's record → its 2xx → the hub's index → found.
 * Each publisher's documents are searched for by one hospital of another city, which registered the
 * resident before the clock started. The authorizer is cached 60 s, as API Gateway caches it.
 *   npx tsx bench/documents.ts [--hospitals 50] [--docs 10] [--size 102400] [--checkers 20] [--port 18184] [--authorizer-cache 60]
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, paginateScan } from "@aws-sdk/lib-dynamodb";
import { documentIdOf } from "#domain/documents/publish.ts";
import { register as feed } from "#lib/harness/patients.ts";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";
import { publishBundle, residentAt } from "#lib/world/index.ts";
import { documentSystem } from "#schemas/documents.ts";
import { RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";
import { localResourceName } from "#shared/discovery-names.ts";

interface LocatorItem {
  indexedAt: string;
  value: { id: string; recordedAt: string; resource: { masterIdentifier?: { value?: string } } };
}
async function scanAll(ddb: DynamoDBClient, table: string): Promise<LocatorItem[]> {
  const items: LocatorItem[] = [];
  for await (const page of paginateScan({ client: DynamoDBDocumentClient.from(ddb) }, { TableName: table }))
    items.push(...((page.Items ?? []) as LocatorItem[]));
  return items;
}

const { values } = parseArgs({
  options: {
    hospitals: { type: "string", default: "50" },
    docs: { type: "string", default: "10" },
    size: { type: "string", default: String(100 * 1024) },
    checkers: { type: "string", default: "20" },
    port: { type: "string", default: "18184" },
    // API Gateway caches the hospital authorizer's answer 60 s (0: ask the hub on every request, the local default)
    "authorizer-cache": { type: "string", default: "60" },
  },
});
const hospitalCount = Number(values.hospitals);
const docsPerHospital = Number(values.docs);
const size = Number(values.size);

const province = await spawnProvince(freshDataDir(), Number(values.port), {
  HHC_AUTHORIZER_CACHE_SECONDS: values["authorizer-cache"],
});
process.on("exit", () => void province.kill());
const all = province.credentials().hospitals.filter((h) => h.practitioners.length > 0);
type Hospital = (typeof all)[number];
// round-robin over the cities, so every city node publishes
const byCity = new Map<string, Hospital[]>();
for (const h of all) byCity.set(h.cityId, [...(byCity.get(h.cityId) ?? []), h]);
const cities = [...byCity.keys()];
const publishers: Hospital[] = [];
for (let i = 0; publishers.length < hospitalCount; i++) {
  const h = byCity.get(cities[i % cities.length]!)![Math.floor(i / cities.length)];
  if (h) publishers.push(h);
}
const readers = all.filter((h) => !publishers.includes(h));
const headers = (h: Hospital) => ({
  authorization: `Bearer ${h.credential}`,
  "x-practitioner-id": h.practitioners[0]!,
  "content-type": "application/fhir+json",
});
const url = (cityId: string, path: string) => `${province.url}/cities/${cityId}${path}`;

// prepare: each hospital registers its patient through the PIXm feed
const patients = new Map<string, { system: string; value: string }>();
const residents = new Map<string, ReturnType<typeof residentAt>>();
const register = async (h: Hospital, i: number) => {
  const resident = residentAt(100 + i);
  await feed(province.url, h, `B-${i}`, resident);
  patients.set(h.id, { system: RESIDENT_ID_SYSTEM, value: resident.residentId });
  residents.set(h.id, resident);
};
/** A lawful reader registers the resident (who came to it) before it reads their record; once, outside the timings */
const registeredAt = new Map<string, Promise<void>>();
const registerReader = (reader: Hospital, publisherId: string): Promise<void> => {
  const key = `${reader.id}|${publisherId}`;
  let done = registeredAt.get(key);
  if (!done) {
    done = feed(province.url, reader, `R-${publisherId}`, residents.get(publisherId)!).then(() => undefined);
    registeredAt.set(key, done);
  }
  return done;
};
// a few at a time: the feed is not what is measured here
for (let i = 0; i < publishers.length; i += 5) await Promise.all(publishers.slice(i, i + 5).map((h, k) => register(h, i + k)));
// each publisher's documents are searched for by one hospital of another city (spread over the readers), which
// registers the resident before the clock starts: a checker's feed is not findability
const checkerReaders = readers.filter((_, i) => i % 7 === 0).slice(0, Number(values.checkers));
const readerOf = new Map(
  publishers.map((h, i) => {
    // the checkers' hospitals may all be of this publisher's city (few checkers): then any other city's
    const others = checkerReaders.filter((r) => r.cityId !== h.cityId);
    return [h.id, others.length > 0 ? others[i % others.length]! : readers.find((r) => r.cityId !== h.cityId)!] as const;
  }),
);
for (let i = 0; i < publishers.length; i += 5)
  await Promise.all(publishers.slice(i, i + 5).map((h) => registerReader(readerOf.get(h.id)!, h.id)));

const publish = async (h: Hospital, master: string, bytes: Buffer) => {
  const t0 = performance.now();
  const res = await fetch(url(h.cityId, "/fhir"), {
    method: "POST",
    headers: headers(h),
    body: JSON.stringify(publishBundle(h, master, patients.get(h.id)!, { bytes, contentType: "application/pdf" })),
  });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t0 };
};
const search = async (reader: Hospital, publisherId: string) => {
  await registerReader(reader, publisherId);
  const subject = patients.get(publisherId)!;
  const t0 = performance.now();
  const res = await fetch(
    url(reader.cityId, `/fhir/DocumentReference?patient.identifier=${encodeURIComponent(`${subject.system}|${subject.value}`)}`),
    {
      headers: headers(reader),
    },
  );
  const bundle = (await res.json()) as { entry?: { resource: { id: string } }[] };
  return { status: res.status, ms: performance.now() - t0, ids: new Set((bundle.entry ?? []).map((e) => e.resource.id)) };
};

// warm-up: one publish and one search per city node, so cold starts are not counted
const publishingCities = [...new Set(publishers.map((p) => p.cityId))];
await Promise.all(
  publishingCities.map(async (cityId) => {
    const h = publishers.find((p) => p.cityId === cityId)!;
    await publish(h, `WARM-${cityId}`, randomBytes(1024));
    await search(readers.find((r) => r.cityId !== cityId)!, h.id);
  }),
);

interface Published {
  id: string;
  h: Hospital;
  acceptedAt: number;
}
/** Wall-clock instants per document id (the province's clock is the machine's in a bench): its 2xx, its first search that found it */
const answeredAt = new Map<string, number>();
const foundAt = new Map<string, number>();
/** When the search that found a document started (wall clock) */
const foundBySearchAt = new Map<string, number>();
const publishLatencies: number[] = [];
const searchLatencies: number[] = [];
const visibleAfter: number[] = [];
const pending: Published[] = [];
let failures = 0;
let publishing = true;
const started = performance.now();

const publishersDone = Promise.all(
  publishers.map(async (h) => {
    for (let n = 0; n < docsPerHospital; n++) {
      const master = `BENCH-${n}`;
      const r = await publish(h, master, randomBytes(size));
      publishLatencies.push(r.ms);
      if (r.status !== 201) {
        failures++;
        continue;
      }
      const id = documentIdOf(h.cityId, { system: documentSystem(h.id), value: master });
      answeredAt.set(id, Date.now());
      pending.push({ id, h, acceptedAt: performance.now() });
    }
  }),
).then(() => {
  publishing = false;
});

// checkers: each searches, from another city, for the hospital of the oldest unconfirmed document;
// every pending document the answer holds is confirmed at once (so the figure is not queueing)
let lastVisibleAt = started;
const inFlight = new Set<string>();
const checkers = Array.from({ length: Number(values.checkers) }, async () => {
  while (publishing || pending.length) {
    const doc = pending.find((d) => !inFlight.has(d.h.id));
    if (!doc) {
      await new Promise((r) => setTimeout(r, 20));
      continue;
    }
    inFlight.add(doc.h.id);
    const searchedAt = Date.now();
    const r = await search(readerOf.get(doc.h.id)!, doc.h.id);
    searchLatencies.push(r.ms);
    const now = performance.now();
    for (let i = pending.length - 1; i >= 0; i--) {
      const p = pending[i]!;
      if (p.h.id === doc.h.id && r.ids.has(p.id)) {
        visibleAfter.push(now - p.acceptedAt);
        foundAt.set(p.id, Date.now());
        foundBySearchAt.set(p.id, searchedAt);
        lastVisibleAt = now;
        pending.splice(i, 1);
      }
    }
    inFlight.delete(doc.h.id);
    if (!r.ids.has(doc.id)) await new Promise((res) => setTimeout(res, 100));
  }
});
await publishersDone;
await Promise.all(checkers);
// exactly, from the hub's record locator: city record (recordedAt) → hub index (indexedAt)
const endpoints = JSON.parse(readFileSync(path.join(province.dataDir, "endpoints.json"), "utf8")) as {
  dynamodb: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
};
const ddb = new DynamoDBClient({ endpoint: endpoints.dynamodb, region: endpoints.region, credentials: endpoints.credentials });
const indexed = await scanAll(ddb, localResourceName("hub", "RecordLocator"));
const benchItems = indexed.filter((item) => item.value.resource.masterIdentifier?.value?.startsWith("BENCH-"));
const exchangeLags = benchItems.map((item) => Date.parse(item.indexedAt) - Date.parse(item.value.recordedAt));
// where the time goes, per document: its city's record → its 2xx → the hub's index → found from another city
const stages = { recordTo2xx: [] as number[], answerToIndex: [] as number[], indexToFound: [] as number[], checkersWait: [] as number[] };
// findable: when a search from another city would have found it. The hub's index holds it from indexedAt;
// the first search that found it took its own time (kept), but it may have started after indexedAt only
// because the bench's checkers were busy with other hospitals (their round: not the province's time, taken out)
const findable: number[] = [];
for (const item of benchItems) {
  const answered = answeredAt.get(item.value.id);
  const found = foundAt.get(item.value.id);
  const at = Date.parse(item.indexedAt);
  if (answered === undefined || found === undefined) continue;
  stages.recordTo2xx.push(answered - Date.parse(item.value.recordedAt));
  stages.answerToIndex.push(at - answered);
  stages.indexToFound.push(found - at);
  const wait = Math.max(0, foundBySearchAt.get(item.value.id)! - at);
  stages.checkersWait.push(wait);
  findable.push(found - wait - answered);
}
await province.stop();

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(0);
};
const total = publishers.length * docsPerHospital - failures;
const seconds = (lastVisibleAt - started) / 1000;
console.log(
  `documents: authorizer cached ${values["authorizer-cache"]} s; ${total} of ${(size / 1024).toFixed(0)} KB from ${publishers.length} hospitals in ${publishingCities.length} cities (${publishers.length} concurrent), ${failures} failed`,
);
console.log(`end to end (published → findable from another city): ${(total / seconds).toFixed(1)} documents/s  (${seconds.toFixed(1)} s)`);
console.log(`publish latency ms:  p50 ${pct(publishLatencies, 50)}  p99 ${pct(publishLatencies, 99)}`);
console.log(`search latency ms:   p50 ${pct(searchLatencies, 50)}  p99 ${pct(searchLatencies, 99)}  (${searchLatencies.length} searches)`);
console.log(
  `city record → hub record locator, ms (exact, ${exchangeLags.length} documents): p50 ${pct(exchangeLags, 50)}  p99 ${pct(exchangeLags, 99)}`,
);
console.log(
  `findable province-wide after its 2xx, ms (${findable.length} documents; the hub's index, then a search from another city; the checkers' round taken out): p50 ${pct(findable, 50)}  p99 ${pct(findable, 99)}`,
);
console.log(
  `found by the bench's checkers after its 2xx, ms (their round included: an upper bound): p50 ${pct(visibleAfter, 50)}  p99 ${pct(visibleAfter, 99)}`,
);
const stage = (xs: number[]) => `p50 ${pct(xs, 50)} p99 ${pct(xs, 99)}`;
console.log(
  `stages, ms (${stages.recordTo2xx.length} documents): city record → 2xx ${stage(stages.recordTo2xx)}; 2xx → hub index ${stage(stages.answerToIndex)}; hub index → found from another city ${stage(stages.indexToFound)}, of which the checkers' round ${stage(stages.checkersWait)}`,
);
