/**
 * Match quality and cost of the master patient index. Drives the DOMAIN ENGINE
 * (lambdas/domain/mpi/engine.ts) with the IN-MEMORY ResidentIndex, one registration at a time in a
 * shuffled order, over the synthetic population of lib/world/population.ts; no DynamoDB, no network.
 * Prints pairwise precision / recall / F1 of links (pairs of registrations under one EMPI against
 * pairs of one true resident; a registration sent to review counts as not linked), the review share,
 * throughput and per-match latency for each population size.
 *   npx tsx bench/mpi/match-quality.ts [--residents 100000] [--sizes 10000,100000,1000000] [--mix desks|registrar] [--seed s] [--diagnose] [--ceiling]
 * --mix desks (the default): the held-out error mix of bench/mpi/desks.ts, on a seed no test uses;
 * --mix registrar: lib/world's Registrar, the mix the engine was first tuned with.
 * A registration counts as linked only when its resident is not awaiting review afterwards (as the
 * feed's answer says: a record joining a provisional resident gets no EMPI yet), or when a later
 * registration answered the review (the provisional resident merged into its own: decide.ts absorbs).
 * A record a later registration puts in doubt (doubts.ts) counts as sent to review from then on.
 * The review share printed is what still awaits a steward at the end. One line more scores what PIXm
 * answers: the records of one provisional resident are cross-referenced with each other (not with the
 * candidates they await review against), so that line counts them as linked.
 * Prints precision and recall per error class (pairs with at least one registration of the class).
 * --ceiling prints, overall and per class, the recall of linking each registration to its person's
 * registrations that share more than name and sex with it, and more than name, sex and birth date
 * (metrics.ts evidenceClusters): what an engine that never links on less could reach at most.
 * --diagnose lists false links and misses by the errors the generator put into the record (it reads
 * the truth, after the engine has decided; the engine never sees it), the residents still awaiting
 * review by whether their person is a candidate and what the two sides share, and the misses that
 * share more than name, sex and birth date with an earlier registration of the person
 * (MPI_DIAGNOSE_CLASS=slip: of one class; MPI_DIAGNOSE_AWAITING=merge|apart: examples;
 * MPI_TRACE=王晓秀: every registration of one full name as it is decided; MPI_DIAGNOSE_TOP=n).
 */
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { getHeapStatistics } from "node:v8";
import { CounterEmpiAllocator, formatEmpi } from "#domain/mpi/empi.ts";
import { MasterPatientIndex } from "#domain/mpi/engine.ts";
import { corroborated } from "#domain/mpi/link-rules.ts";
import { InMemoryResidentIndex } from "#domain/mpi/memory-index.ts";
import { isProvisional, type MatchRecord } from "#domain/mpi/record.ts";
import { type Comparison, compareRecords, LINK, prepareRecord, REVIEW, sameName } from "#domain/mpi/scorer.ts";
import { createRng } from "#lib/seed/prng.ts";
import { benchMix } from "./desks.ts";
import { classTable, evidenceClusters, pairwise, partitionReport, perClass, shareMoreThanName } from "./metrics.ts";

/** the sequence a counter-allocated EMPI was formatted from (formatEmpi's inverse): the bench's resident numbers */
const seqOf = (empi: string): number => Number(empi.slice(1, 13));

const { values } = parseArgs({
  options: {
    residents: { type: "string", default: "100000" },
    sizes: { type: "string" },
    mix: { type: "string", default: "desks" },
    seed: { type: "string" },
    diagnose: { type: "boolean", default: false },
    ceiling: { type: "boolean", default: false },
  },
});
const { seed, classes, namesOf, generate } = benchMix(values.mix, values.seed);
const sizes = (values.sizes ?? values.residents).split(",").map((s) => Number(s.trim()));
if (sizes.some((n) => !Number.isInteger(n) || n < 100)) throw new Error(`bad sizes: ${values.sizes ?? values.residents}`);

// a million residents (2.3 million registrations and their keys) need more than Node's default heap
const heapWanted = Math.max(...sizes) >= 300_000 ? 8192 : 0;
if (heapWanted && getHeapStatistics().heap_size_limit < heapWanted * 0.9 * 2 ** 20 && !process.env.MPI_BENCH_CHILD) {
  const args = [...process.execArgv, `--max-old-space-size=${heapWanted}`, process.argv[1]!, ...process.argv.slice(2)];
  const child = spawnSync(process.execPath, args, { stdio: "inherit", env: { ...process.env, MPI_BENCH_CHILD: "1" } });
  process.exit(child.status ?? 1);
}

const TODAY = "2025-06-30";
console.log("MPI match quality: the domain engine (lambdas/domain/mpi/engine.ts) over an IN-MEMORY ResidentIndex");
console.log(`(no DynamoDB, no network; one registration at a time, shuffled order; LINK ≥ ${LINK}, REVIEW ≥ ${REVIEW})`);
console.log(`population: --mix ${values.mix}, seed ${seed}\n`);

interface Row {
  residents: number;
  records: number;
  precision: number;
  recall: number;
  f1: number;
  review: number;
  perSecond: number;
  p50: number;
  p99: number;
}
const rows: Row[] = [];

for (const size of sizes) {
  let started = performance.now();
  const population = generate(size, seed);
  const n = population.records.length;
  const generatedIn = (performance.now() - started) / 1000;
  // what no engine that never links on name and sex alone could link (metrics.ts), read before the records are matched;
  // and what it could link without linking on what a namesake born the same day shares too (name, sex, birth date)
  const ceilings = (values.ceiling ? [true, false] : []).map((dates) => {
    const clusters = evidenceClusters(population.records, population.truth, dates);
    const overall = pairwise(clusters, population.truth).recall;
    return { overall, perClass: perClass(clusters, population.truth, population.tags, new Uint8Array(n), classes) };
  });
  const order = createRng(`${seed}/order/${size}`).shuffle(Array.from({ length: n }, (_, i) => i));
  const queue: (MatchRecord | undefined)[] = values.diagnose ? [...population.records] : population.records;
  const index = new InMemoryResidentIndex();
  const engine = new MasterPatientIndex(index, new CounterEmpiAllocator());

  const assigned = new Int32Array(n);
  const reviewed = new Uint8Array(n);
  let provisional = 2 ** 30;
  const latency = new Float64Array(n);
  const outcomes = { link: 0, review: 0, new: 0, byId: 0 };
  /** each resident's registrations (by EMPI sequence), and the reviews later registrations answered */
  const recordsOf = new Map<number, number[]>();
  let answered = 0;
  /** the resident holding each registration, provisional or not (what PIXm cross-references) */
  const held = new Int32Array(n);
  /** registrations of a review a later one answered: linked to the resident `seq` from now on */
  const linkedAt = (seq: number, records: readonly number[]): void => {
    for (const j of records) {
      assigned[j] = seq;
      held[j] = seq;
      if (reviewed[j]) answered++;
      reviewed[j] = 0;
    }
  };
  const flags = new Map<string, number>();
  const firstTruthOf = new Int32Array(n + 2).fill(-1);
  const seen = new Uint8Array(population.residentCount);
  const falseLinks = new Map<string, number>();
  const misses = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
  /** --diagnose: each registration's arrival and decision, for the clusters holding two residents */
  const arrival = new Int32Array(n);
  const decided: string[] = [];
  /** --diagnose: why the provisional residents that later registrations joined were created */
  const createdAs = new Map<number, string>();
  const joined = new Map<string, number>();
  /** each stored record's registration, for the records a later one puts in doubt (doubts.ts) */
  const registrationOf = new Map<MatchRecord, number>();
  let doubted = 0;
  const doubtLines: string[] = [];
  let doubtedFalse = 0;
  /** reviews a later registration answered by a merge that joined two people, and (--diagnose) what they held */
  let falseAnswers = 0;
  const falseAnswerLines: string[] = [];
  const trace = values.diagnose ? process.env.MPI_TRACE : undefined;
  /** --diagnose: the registrations missed (new or review although their person was indexed) */
  const missedAt: number[] = [];

  started = performance.now();
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    const t0 = performance.now();
    const { decision, resident, doubts } = await engine.match(queue[i]!, { today: TODAY });
    latency[k] = performance.now() - t0;
    registrationOf.set(decision.record, i);
    queue[i] = undefined;
    const seq = seqOf(resident.empi);
    const awaiting = isProvisional(resident);
    const outcome = decision.outcome === "link" && awaiting ? "review" : decision.outcome;
    assigned[i] = outcome === "review" ? provisional++ : seq;
    reviewed[i] = outcome === "review" ? 1 : 0;
    recordsOf.set(seq, [...(recordsOf.get(seq) ?? []), i]);
    held[i] = seq;
    // residents awaiting review that this registration answered were merged into its resident: their records count as linked there
    for (const empi of decision.absorbs ?? []) {
      const merged = seqOf(empi);
      const records = recordsOf.get(merged) ?? [];
      const wrong = records.filter((j) => population.truth[j] !== population.truth[i]);
      if (wrong.length) {
        falseAnswers++;
        if (values.diagnose || process.env.MPI_SHOW_FALSE_ANSWERS)
          falseAnswerLines.push(
            `      by ${namesOf(population.tags[i]!)} ${JSON.stringify(population.records[i])} ${decision.flags}\n` +
              [...recordsOf.get(seq)!.filter((j) => j !== i), ...records]
                .map((j) => `        ${population.truth[j] === population.truth[i] ? "*" : " "} ${JSON.stringify(population.records[j])}`)
                .join("\n"),
          );
      }
      recordsOf.set(seq, [...recordsOf.get(seq)!, ...records]);
      recordsOf.delete(merged);
      linkedAt(seq, records);
    }
    // records the registration put in doubt: each awaits review in a resident of its own
    for (const doubt of doubts) {
      const j = registrationOf.get(doubt.record)!;
      const from = seqOf(doubt.from);
      const to = seqOf(doubt.to);
      recordsOf.set(
        from,
        (recordsOf.get(from) ?? []).filter((x) => x !== j),
      );
      recordsOf.set(to, [j]);
      if (population.truth[j] !== firstTruthOf[from]) doubtedFalse++;
      if (values.diagnose) {
        const show = (x: number) => `${population.truth[x]} ${namesOf(population.tags[x]!)} ${JSON.stringify(population.records[x])}`;
        const held = (recordsOf.get(from) ?? []).map((x) => `\n        in ${show(x)}`).join("");
        doubtLines.push(`      ${show(j)}\n        by ${show(i)}${held}`);
        createdAs.set(to, `doubt ${namesOf(population.tags[j]!)}`);
      }
      doubted++;
      assigned[j] = provisional++;
      reviewed[j] = 1;
      held[j] = to;
      firstTruthOf[to] = population.truth[j]!;
    }
    // a resident whose review the registration answered apart (another resident's number): an ordinary resident now
    if (decision.remainingReview?.length === 0) linkedAt(seq, recordsOf.get(seq)!);
    outcomes[outcome]++;
    if (decision.decidedBy === "resident-id") outcomes.byId++;
    for (const f of decision.flags) bump(flags, f);
    const truth = population.truth[i]!;
    if (firstTruthOf[seq] === -1) firstTruthOf[seq] = truth;
    const falseLink = outcome === "link" && firstTruthOf[seq] !== truth;
    const missed = outcome !== "link" && seen[truth] === 1;
    if (values.diagnose) {
      const tags = namesOf(population.tags[i]!);
      const why = decision.bestComparison ? Object.values(decision.bestComparison).join(",") : "";
      if (falseLink) {
        bump(falseLinks, `${decision.decidedBy} ${decision.bestScore?.toFixed(1)} ${tags} [${why}]`);
      }
      arrival[i] = k;
      decided[i] = `${outcome} ${decision.bestScore?.toFixed(1) ?? "-"} [${why}] ${decision.flags.join(",")}`;
      if (decision.outcome === "review") createdAs.set(seq, `${namesOf(population.tags[i]!)} ${decided[i]}`);
      if (decision.outcome === "link" && awaiting && seen[truth] === 1) bump(joined, createdAs.get(seq) ?? "?");
      if (missed) missedAt.push(i);
      if (missed) bump(misses, `${outcome} ${decision.bestScore?.toFixed(1) ?? "-"} ${tags} [${why}] ${decision.flags.join(",")}`);
    }
    // MPI_TRACE=王晓秀: each registration of that full name, the resident it went to and the residents it awaits review against
    if (trace && `${population.records[i]!.family}${population.records[i]!.given ?? ""}` === trace) {
      const show = async (empi: string): Promise<string> => {
        const r = await index.getResident(empi);
        return `${empi} ${r?.residentId ?? "-"} ${JSON.stringify(r?.records.map((x) => [x.family, x.given, x.birthDate, x.residentId, x.phone, x.address]))}`;
      };
      console.log(
        `  trace ${truth} ${JSON.stringify(population.records[i])} → ${outcome} ${decision.decidedBy} ${decision.bestScore} ${decision.flags}`,
      );
      console.log(`    resident ${await show(resident.empi)}`);
      for (const c of resident.reviewCandidates ?? []) console.log(`    candidate ${await show(c)}`);
    }
    seen[truth] = 1;
  }
  const seconds = (performance.now() - started) / 1000;
  const quality = pairwise(assigned, population.truth);
  const sorted = latency.sort();
  const row: Row = {
    residents: population.residentCount,
    records: n,
    ...quality,
    review: (outcomes.review + doubted - answered) / n,
    perSecond: n / seconds,
    p50: sorted[Math.floor(n * 0.5)]! * 1000,
    p99: sorted[Math.floor(n * 0.99)]! * 1000,
  };
  rows.push(row);

  console.log(
    `— ${size.toLocaleString("en")} residents, ${n.toLocaleString("en")} registrations (generated in ${generatedIn.toFixed(1)} s;`,
  );
  console.log(`  ${population.twins} twins, ${population.namesakes} namesakes)`);
  console.log(
    `  pairs: ${quality.truePairs} true, ${quality.linkedPairs} linked, ${quality.correctPairs} correct → ` +
      `precision ${quality.precision.toFixed(5)}, recall ${quality.recall.toFixed(5)}, F1 ${quality.f1.toFixed(5)}`,
  );
  const pct = (x: number): string => `${((100 * x) / n).toFixed(2)} %`;
  console.log(
    `  outcomes: link ${pct(outcomes.link)} (by resident ID ${pct(outcomes.byId)}), review ${pct(outcomes.review)}, new ${pct(outcomes.new)}; ` +
      `residents created ${index.residentCount.toLocaleString("en")} (true ${population.residentCount.toLocaleString("en")})`,
  );
  console.log(`  review answered by later registrations: ${pct(answered)} (still awaiting ${pct(outcomes.review + doubted - answered)})`);
  console.log(`  reviews answered by a merge joining two people: ${falseAnswers}`);
  for (const line of falseAnswerLines.slice(0, Number(process.env.MPI_DIAGNOSE_TOP ?? 10))) console.log(line);
  console.log(
    `  records put in doubt by later registrations (to review): ${doubted} (${doubtedFalse} of them another person's than their resident's first)`,
  );
  const crossReferenced = pairwise(held, population.truth);
  console.log(
    `  as PIXm cross-references them (a provisional resident's records with each other, not with its candidates): ` +
      `precision ${crossReferenced.precision.toFixed(5)}, recall ${crossReferenced.recall.toFixed(5)}`,
  );
  console.log(
    `  cost: ${Math.round(row.perSecond).toLocaleString("en")} registrations/s, latency p50 ${row.p50.toFixed(1)} µs, p99 ${row.p99.toFixed(1)} µs ` +
      `(${seconds.toFixed(1)} s, heap ${(process.memoryUsage().heapUsed / 2 ** 30).toFixed(2)} GiB, ${index.keyCount.toLocaleString("en")} keys)`,
  );
  console.log(`  partitions (mean as a lookup sees it / largest): ${partitionReport(index)}`);
  const topFlags = [...flags].sort((a, b) => b[1] - a[1]).map(([f, c]) => `${f} ${pct(c)}`);
  console.log(`  flags: ${topFlags.join(", ")}`);
  console.log(
    `  per class (pairs with a registration of the class):\n${classTable(perClass(assigned, population.truth, population.tags, reviewed, classes))}`,
  );
  const [withDates, withoutDates] = ceilings;
  if (withDates && withoutDates)
    console.log(
      "  evidence ceilings: the recall of linking each registration to those of its person that share more than name and sex with it\n" +
        "  (directly or through the person's others), and to no other; then more than name, sex and birth date (what a namesake\n" +
        "  born the same day shares too):\n" +
        `    ${"overall".padEnd(22)}${withDates.overall.toFixed(5)}  ${withoutDates.overall.toFixed(5)}\n` +
        withDates.perClass
          // both list the classes in one order
          .flatMap((r, k) =>
            r.records > 0 ? [`    ${r.name.padEnd(22)}${r.recall.toFixed(5)}  ${withoutDates.perClass[k]!.recall.toFixed(5)}`] : [],
          )
          .join("\n"),
    );
  if (values.diagnose) {
    const top = (m: Map<string, number>): string =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, Number(process.env.MPI_DIAGNOSE_TOP ?? 15))
        .map(([k, c]) => `      ${c} × ${k}`)
        .join("\n");
    console.log(`  false links (record joined a resident first created by another person):\n${top(falseLinks)}`);
    console.log(`  missed (new/review although the person was already indexed):\n${top(misses)}`);
    console.log(`  registrations that joined a resident awaiting review, by the registration that created it:\n${top(joined)}`);
    console.log(`  records put in doubt (truth, classes, record), by the registration, beside the records their resident kept:`);
    for (const line of doubtLines.slice(0, Number(process.env.MPI_DIAGNOSE_TOP ?? 10))) console.log(line);
    // residents still awaiting review: is their person among the candidates (a merge is the answer) or not (apart)?
    // and for the first, what the person's registrations on either side share (MPI_DIAGNOSE_AWAITING=merge|apart
    // lists examples of one or the other)
    const kinds = new Map<string, number>();
    const awaiting = { merge: 0, apart: 0, mergeRecords: 0, apartRecords: 0 };
    const examples: string[] = [];
    const registrationsOf = (empi: string): number[] => recordsOf.get(seqOf(empi)) ?? [];
    const line = (j: number, person: number): string =>
      `${population.truth[j] === person ? "*" : " "} ${namesOf(population.tags[j]!)} ${JSON.stringify(population.records[j])}`;
    for (const [seq, regs] of recordsOf) {
      const r = regs.length ? await index.getResident(formatEmpi(seq)) : undefined;
      if (!r?.reviewCandidates?.length) continue;
      const person = population.truth[regs[0]!]!;
      const mine = r.reviewCandidates.flatMap((c) => registrationsOf(c).filter((j) => population.truth[j] === person));
      const kind = mine.length ? "merge" : "apart";
      awaiting[kind]++;
      awaiting[`${kind}Records`] += regs.length;
      let what = "";
      if (mine.length) {
        const pairs = regs.flatMap((x) =>
          mine.map((y) => compareRecords(prepareRecord(population.records[x]!, { today: TODAY }), population.records[y]!)),
        );
        const dated = (c: Comparison): boolean => ["exact", "swap", "day"].includes(c.birthDate);
        const name = pairs.some((c) => sameName(c) && dated(c))
          ? "full name and date"
          : pairs.some((c) => c.given === "dropped" && dated(c))
            ? "name typed short and date"
            : "neither";
        const shared = pairs.some((c) => corroborated({ ...c, region: "missing" }))
          ? "a phone, home or number shared"
          : "nothing else shared";
        what = `${name}, ${shared}`;
        bump(kinds, what);
      }
      if (process.env.MPI_DIAGNOSE_AWAITING === kind)
        examples.push(
          `${what}\n        ${regs.map((j) => `${line(j, person)} → ${decided[j]}`).join("\n        ")}\n      candidates:\n        ${r.reviewCandidates.flatMap((c) => registrationsOf(c).map((j) => line(j, person))).join("\n        ")}`,
        );
    }
    console.log(
      `  awaiting review at the end: ${awaiting.merge} residents (${awaiting.mergeRecords} registrations) whose person is a candidate, ` +
        `${awaiting.apart} (${awaiting.apartRecords}) whose person is not; the first, by what the person's registrations on either side share:\n${top(kinds)}`,
    );
    for (const e of examples.slice(0, Number(process.env.MPI_DIAGNOSE_TOP ?? 10))) console.log(`        ${e}\n`);
    // misses (of MPI_DIAGNOSE_CLASS, if set) that share more than name, sex and birth date with a registration of
    // their person that arrived before: the recall the second evidence ceiling says is there without namesakes' evidence
    const byTruth = new Map<number, number[]>();
    for (let i = 0; i < n; i++) byTruth.set(population.truth[i]!, [...(byTruth.get(population.truth[i]!) ?? []), i]);
    const onlyMissed = classes[process.env.MPI_DIAGNOSE_CLASS ?? ""] ?? 0;
    const withEvidence = missedAt.filter(
      (i) =>
        (!onlyMissed || population.tags[i]! & onlyMissed) &&
        byTruth
          .get(population.truth[i]!)!
          .some((j) => arrival[j]! < arrival[i]! && shareMoreThanName(population.records[i]!, population.records[j]!, false)),
    );
    console.log(
      `  missed although an earlier registration of the person shares more than name, sex and birth date (${withEvidence.length}):`,
    );
    for (const i of withEvidence.slice(0, Number(process.env.MPI_DIAGNOSE_TOP ?? 10))) {
      for (const j of byTruth.get(population.truth[i]!)!.sort((a, b) => arrival[a]! - arrival[b]!))
        console.log(
          `      ${j === i ? "→" : " "} ${assigned[j]} ${namesOf(population.tags[j]!)} ${JSON.stringify(population.records[j])} → ${decided[j]}`,
        );
      console.log();
    }
    const clusters = new Map<number, number[]>();
    for (let i = 0; i < n; i++) clusters.set(assigned[i]!, [...(clusters.get(assigned[i]!) ?? []), i]);
    // MPI_DIAGNOSE_CLASS=twin: only the clusters with a registration of that class
    const only = classes[process.env.MPI_DIAGNOSE_CLASS ?? ""] ?? 0;
    const mixed = [...clusters.values()].filter(
      (c) => new Set(c.map((i) => population.truth[i])).size > 1 && (!only || c.some((i) => population.tags[i]! & only)),
    );
    console.log(`  clusters holding two residents (${mixed.length}), in arrival order:`);
    for (const c of mixed.slice(0, Number(process.env.MPI_DIAGNOSE_TOP ?? 10))) {
      for (const i of c.sort((a, b) => arrival[a]! - arrival[b]!))
        console.log(
          `      ${assigned[i]} ${population.truth[i]} ${namesOf(population.tags[i]!)} ${JSON.stringify(population.records[i])} → ${decided[i]}`,
        );
      console.log();
    }
  }
  console.log();
}

console.log("residents   registrations  precision  recall   F1       review   reg/s     p50 µs  p99 µs");
for (const r of rows) {
  console.log(
    `${String(r.residents).padEnd(11)} ${String(r.records).padEnd(14)} ${r.precision.toFixed(5)}    ${r.recall.toFixed(5)}  ` +
      `${r.f1.toFixed(5)}  ${(r.review * 100).toFixed(2).padStart(5)} %  ${String(Math.round(r.perSecond)).padEnd(9)} ${r.p50.toFixed(1).padStart(6)}  ${r.p99.toFixed(1).padStart(6)}`,
  );
}
if (rows.length > 1) {
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  console.log(
    `cost from ${first.residents} to ${last.residents} residents: p50 ×${(last.p50 / first.p50).toFixed(2)}, ` +
      `throughput ×${(last.perSecond / first.perSecond).toFixed(2)}`,
  );
}
