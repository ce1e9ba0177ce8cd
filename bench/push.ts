/**
 * Push down end to end through the local province: subscriber hospitals in every city subscribe to
 * one resident; clinical-events (as the record locator sends them) go to the hub's Notify queue; each
 * subscriber's FEP long-polls its inbox (wait=20) and acknowledges. Prints notifications per second
 * and the event → FEP latency (p50, p99).
 *   npx tsx bench/push.ts [--events 100] [--subscribers 22]
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { GetQueueUrlCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { interceptLocalhostDns } from "fauxqs";
import { freshDataDir, spawnProvince } from "#lib/harness/process.ts";
import { father, patientOf } from "#lib/world/index.ts";
import { queuePhysicalName } from "#shared/discovery-names.ts";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const { values } = parseArgs({
  options: {
    events: { type: "string", default: "100" },
    subscribers: { type: "string", default: "22" },
    port: { type: "string", default: "18183" },
  },
});
const events = Number(values.events);
// authorizer cached 60 s, as API Gateway does: every poll and acknowledgement is a request
const province = await spawnProvince(freshDataDir(), Number(values.port), { HHC_AUTHORIZER_CACHE_SECONDS: "60" });
try {
  const { hospitals } = province.credentials();
  const cities = [...new Set(hospitals.map((h) => h.cityId))];
  const publisher = hospitals.find((h) => h.cityId === "shijiazhuang" && h.practitioners.length > 0)!;
  // subscribers spread over every city, never the publisher; each names a licensed practitioner of its own
  const others = hospitals.filter((h) => h.id !== publisher.id && h.practitioners.length > 0);
  const subscribers = Array.from({ length: Number(values.subscribers) }, (_, i) => {
    const city = cities[i % cities.length]!;
    return others.filter((h) => h.cityId === city)[Math.floor(i / cities.length)]!;
  }).filter(Boolean);
  const call = async (h: (typeof hospitals)[number], p: string, init: RequestInit = {}) => {
    const res = await fetch(`${province.url}/cities/${h.cityId}${p}`, {
      ...init,
      // a named (licensed) practitioner: subscribing to a resident needs one
      headers: {
        authorization: `Bearer ${h.credential}`,
        "content-type": "application/fhir+json",
        "x-practitioner-id": h.practitioners[0]!,
      },
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
  const fed = await call(publisher, "/fhir/Patient", { method: "POST", body: JSON.stringify(patientOf(publisher.id, "BENCH-1", father)) });
  const empi = (fed.json.identifier as { system: string; value: string }[]).find((i) => i.system.endsWith("/empi"))!.value;
  for (const s of subscribers) {
    // a lawful subscriber has a treatment relationship: the resident came to it, and it registered them
    const own = await call(s, "/fhir/Patient", { method: "POST", body: JSON.stringify(patientOf(s.id, `BENCH-${s.id}`, father)) });
    if (own.status !== 201 && own.status !== 200) throw new Error(`a subscriber's feed answered ${own.status}`);
    const res = await call(s, "/fhir/Subscription", {
      method: "POST",
      body: JSON.stringify({
        resourceType: "Subscription",
        status: "requested",
        reason: "bench",
        criteria: `DocumentReference?patient.identifier=https://hebei.health/sid/empi|${empi}`,
        channel: { type: "message" },
      }),
    });
    if (res.status !== 201) throw new Error(`subscription answered ${res.status}`);
  }

  const endpoints = JSON.parse(readFileSync(path.join(province.dataDir, "endpoints.json"), "utf8"));
  interceptLocalhostDns();
  const sqs = new SQSClient({ endpoint: endpoints.sqs, region: endpoints.region, credentials: endpoints.credentials });
  const notifyUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: queuePhysicalName("hub", "Notify", { fifo: false }) }))).QueueUrl!;

  const sendEvents = async (ids: string[]) => {
    for (let i = 0; i < ids.length; i += 10) {
      const batch = ids.slice(i, i + 10);
      for (const id of batch) sentAt.set(`DocumentReference/${id}`, performance.now());
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: notifyUrl,
          Entries: batch.map((id, j) => ({
            Id: String(j),
            MessageBody: JSON.stringify({
              type: "clinical-event",
              version: 1,
              eventId: `DocumentReference/${id}/1`,
              resourceType: "DocumentReference",
              resourceId: id,
              empi,
              hospitalId: publisher.id,
              cityId: publisher.cityId,
              status: "current",
              recordedAt: new Date().toISOString(),
            }),
          })),
        }),
      );
    }
  };
  // warm-up: one event to every subscriber, so cold starts (matcher, push consumers, inboxes) are not counted
  const sentAt = new Map<string, number>();
  await sendEvents(["warm-up"]);
  await Promise.all(
    subscribers.map(async (h) => {
      for (;;) {
        const res = await call(h, "/fep/inbox?wait=20");
        const [c] = (res.json?.entry ?? []) as { resource: { id: string } }[];
        if (c) return call(h, `/fep/inbox/${c.resource.id}/ack`, { method: "POST" });
      }
    }),
  );

  const expected = events * subscribers.length;
  const latencies: number[] = [];
  let received = 0;
  let duplicates = 0;
  const seen = new Set<string>();
  const deadline = Date.now() + 300_000;
  const fep = async (h: (typeof hospitals)[number]) => {
    while (received < expected && Date.now() < deadline) {
      const res = await call(h, "/fep/inbox?wait=20&_count=100");
      for (const e of (res.json?.entry ?? []) as { resource: { id: string; payload: { contentReference: { reference: string } }[] } }[]) {
        const now = performance.now();
        const ref = e.resource.payload[0]!.contentReference.reference;
        if (seen.has(e.resource.id)) duplicates++;
        else {
          seen.add(e.resource.id);
          received++;
          latencies.push(now - sentAt.get(ref)!);
        }
        await call(h, `/fep/inbox/${e.resource.id}/ack`, { method: "POST" });
      }
    }
  };
  const feps = subscribers.map((s) => fep(s));
  const started = performance.now();
  await sendEvents(Array.from({ length: events }, (_, i) => `bench-${i}`));
  await Promise.all(feps);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]?.toFixed(0);
  console.log(
    `${events} events x ${subscribers.length} subscribers (${cities.length} cities): ${received}/${expected} notifications in ${seconds.toFixed(1)} s = ${(received / seconds).toFixed(1)} /s; event -> FEP p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms; ${duplicates} redelivered`,
  );
  sqs.destroy();
} finally {
  await province.stop();
}
