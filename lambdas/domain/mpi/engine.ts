/**
 * The master patient index as a use of two ports: a ResidentIndex (residents and the blocking-key
 * partitions that find them) and an EmpiAllocator. match(record): compute the record's blocking
 * keys, read the residents in their partitions, decide (scorer.ts), then write: a link appends the
 * record to its resident, "new" and "review" create a resident (a review's is provisional: it lists
 * the candidates a clerk should compare it with, and the hospital can use its EMPI at once); then
 * the records of the residents it met that it puts in doubt (doubts.ts) each leave for a provisional
 * resident of their own. The in-memory index (memory-index.ts) and the DynamoDB adapter implement the
 * same port (through the handlers, use-cases/mpi/feed.ts and placement.ts do the writes).
 */
import { type BlockingOptions, blockingKeys, bringsCandidates, homeKeys, NAME_COUNT_PREFIX } from "./blocking.ts";
import { COMMON_NAME, type DecideOptions, decide, type MatchDecision } from "./decide.ts";
import { type Doubt, doubtsRaised, withoutRecords } from "./doubts.ts";
import type { EmpiAllocator } from "./empi.ts";
import { type HomeEvidence, homeEvidence, livesWhereIssued } from "./homes.ts";
import { type MatchRecord, type Resident, storedIdIsKey } from "./record.ts";

export interface ResidentIndex {
  /** the EMPIs indexed under a blocking key (empty when none), at most `limit` of them when given */
  getByBlockingKey(key: string, limit?: number): Promise<readonly string[]>;
  getResident(empi: string): Promise<Resident | undefined>;
  /**
   * Stores a resident, only if the stored version is `resident.version - 1` (or, for version 1,
   * if there is none); otherwise throws ResidentVersionConflictError and the caller matches again.
   */
  putResident(resident: Resident): Promise<void>;
  /** adds the EMPI to each key's partition (idempotent) */
  addBlockingKeys(empi: string, keys: readonly string[]): Promise<void>;
}

export class ResidentVersionConflictError extends Error {
  constructor(readonly empi: string) {
    super(`resident ${empi} was changed concurrently`);
    this.name = "ResidentVersionConflictError";
  }
}

export interface MatchResult {
  decision: MatchDecision;
  /** the resident after the match: the linked one, or the one created ("new", provisional for "review") */
  resident: Resident;
  /** records the registration put in doubt (doubts.ts), each moved to a resident of its own awaiting review (`to`) */
  doubts: (Doubt & { to: string })[];
}

export interface EngineOptions {
  /** partitions larger than this are skipped (flagged), so one crowded key cannot make a match expensive */
  maxPartition?: number;
}

export const DEFAULT_MAX_PARTITION = 200;

/** At most this many residents of one phone or home are read when asking who lives there (homes.ts). */
export const HOME_READ_LIMIT = 16;

export class MasterPatientIndex {
  readonly #index: ResidentIndex;
  readonly #allocator: EmpiAllocator;
  readonly #options: EngineOptions;

  constructor(index: ResidentIndex, allocator: EmpiAllocator, options: EngineOptions = {}) {
    this.#index = index;
    this.#allocator = allocator;
    this.#options = options;
  }

  /**
   * The residents an incoming record's blocking keys lead to, whether a partition was skipped, and how
   * many residents hold the record's name (counted up to COMMON_NAME, never candidates).
   */
  async candidates(
    record: MatchRecord,
    options: BlockingOptions,
  ): Promise<{ residents: Resident[]; overfull: boolean; nameHolders: number }> {
    const max = this.#options.maxPartition ?? DEFAULT_MAX_PARTITION;
    const keys = blockingKeys(record, options);
    const [holders, partitions] = await Promise.all([
      Promise.all(keys.filter((key) => key.startsWith(NAME_COUNT_PREFIX)).map((key) => this.#index.getByBlockingKey(key, COMMON_NAME))),
      Promise.all(keys.filter(bringsCandidates).map((key) => this.#index.getByBlockingKey(key))),
    ]);
    const nameHolders = Math.max(0, ...holders.map((h) => h.length));
    const empis = new Set<string>();
    let overfull = false;
    for (const partition of partitions) {
      if (partition.length > max) overfull = true;
      else for (const empi of partition) empis.add(empi);
    }
    const residents = await Promise.all([...empis].map((empi) => this.#index.getResident(empi)));
    return { residents: residents.filter((r): r is Resident => r !== undefined), overfull, nameHolders };
  }

  /**
   * decide.ts's decision; when a link rests on name, birth date and sex alone, after asking the index
   * who lives at the record's and the resident's phones and homes (homes.ts). `ignore`: records that do
   * not count as anyone living anywhere (the incoming record's own earlier version, when it is updated).
   */
  async decide(
    record: MatchRecord,
    residents: readonly Resident[],
    options: DecideOptions,
    ignore: (stored: MatchRecord) => boolean = () => false,
  ): Promise<MatchDecision> {
    const decision = decide(record, residents, options);
    const candidate = decision.asksHomes && residents.find((r) => r.empi === decision.asksHomes);
    if (!candidate) return decision;
    return decide(record, residents, { ...options, homes: await this.homes(record, candidate, ignore) });
  }

  /** Who lives at the candidate's phones and homes, and at the record's (homes.ts). */
  async homes(record: MatchRecord, candidate: Resident, ignore: (stored: MatchRecord) => boolean = () => false): Promise<HomeEvidence> {
    const perRecord = candidate.records.filter((r) => !ignore(r)).map((r) => homeKeys(r));
    const candidateKeys = [...new Set(perRecord.flat())];
    const recordKeys = homeKeys(record).filter((key) => !candidateKeys.includes(key));
    const [candidateSide, recordSide] = await Promise.all([
      this.#livingAt(candidateKeys, candidate.empi, ignore),
      this.#livingAt(recordKeys, candidate.empi, ignore),
    ]);
    const atIssuingCounty = livesWhereIssued(candidate, ignore);
    return homeEvidence(candidate.empi, perRecord, [...candidateSide.values()].flat(), recordSide, atIssuingCounty);
  }

  /**
   * Per key, the residents (other than `except`) with a record at it: a partition's stale entries
   * (merged-away or emptied residents, records that moved) and `ignore`d records do not count.
   */
  async #livingAt(keys: readonly string[], except: string, ignore: (stored: MatchRecord) => boolean): Promise<Map<string, string[]>> {
    const partitions = await Promise.all(keys.map((key) => this.#index.getByBlockingKey(key, HOME_READ_LIMIT)));
    const empis = [...new Set(partitions.flat())].filter((empi) => empi !== except);
    const residents = new Map<string, Resident>();
    for (const r of await Promise.all(empis.map((empi) => this.#index.getResident(empi))))
      if (r && r.empi !== except) residents.set(r.empi, r);
    const at = (r: Resident | undefined, key: string): boolean =>
      !!r && r.records.some((stored) => !ignore(stored) && homeKeys(stored).includes(key));
    return new Map(keys.map((key, i) => [key, partitions[i]!.filter((empi) => at(residents.get(empi), key))]));
  }

  /** `options.today`: the caller's date, by the province clock */
  async match(record: MatchRecord, options: DecideOptions): Promise<MatchResult> {
    const { residents, overfull, nameHolders } = await this.candidates(record, options);
    const decision = await this.decide(record, residents, { ...options, nameHolders });
    if (overfull) decision.flags.push("blocking-partition-overfull");
    let resident: Resident;
    const current = decision.outcome === "link" ? residents.find((r) => r.empi === decision.empi) : undefined;
    if (current) {
      // residents awaiting review that the record answered (decide.ts, absorbs) give their records to it
      const absorbed = residents.filter((r) => decision.absorbs?.includes(r.empi));
      const residentId = current.residentId ?? decision.residentIdKey ?? absorbed.find((r) => r.residentId)?.residentId;
      const { reviewCandidates, ...rest } = current;
      const remaining = decision.remainingReview ?? reviewCandidates ?? [];
      resident = {
        ...rest,
        version: current.version + 1,
        records: [...current.records, ...absorbed.flatMap((r) => r.records), decision.record],
        ...(residentId ? { residentId } : {}),
        ...(remaining.length ? { reviewCandidates: remaining } : {}),
      };
      for (const r of absorbed) {
        const { reviewCandidates: _, ...rest } = r;
        await this.#index.putResident({ ...rest, version: r.version + 1, records: [] });
        await this.#index.addBlockingKeys(current.empi, [...new Set(r.records.flatMap((x) => blockingKeys(x, options)))]);
      }
    } else {
      resident = {
        empi: await this.#allocator.next(),
        version: 1,
        records: [decision.record],
        ...(decision.residentIdKey ? { residentId: decision.residentIdKey } : {}),
        ...(decision.reviewCandidates ? { reviewCandidates: decision.reviewCandidates.map((c) => c.empi) } : {}),
      };
    }
    await this.#index.putResident(resident);
    await this.#index.addBlockingKeys(resident.empi, blockingKeys(decision.record, options));
    const others = residents.filter((r) => r.empi !== resident.empi && !decision.absorbs?.includes(r.empi));
    const doubts = [];
    for (const doubt of doubtsRaised(decision.record, resident, others, options)) doubts.push(await this.#moveToReview(doubt, options));
    const latest = doubts.length ? ((await this.#index.getResident(resident.empi)) ?? resident) : resident;
    return { decision, resident: latest, doubts };
  }

  /** A record in doubt leaves its resident for one of its own, awaiting review against `candidates`. */
  async #moveToReview(doubt: Doubt, options: DecideOptions): Promise<Doubt & { to: string }> {
    const from = (await this.#index.getResident(doubt.from))!;
    await this.#index.putResident({ ...withoutRecords(from, [doubt.record]), version: from.version + 1 });
    // the record's number, set aside when the resident it leaves holds it (a resident holds one number, claimed once)
    const own = storedIdIsKey(doubt.record) ? doubt.record.residentId : undefined;
    const record = own && own === from.residentId ? { ...doubt.record, residentIdSetAside: true } : doubt.record;
    const to = await this.#allocator.next();
    await this.#index.putResident({
      empi: to,
      version: 1,
      records: [record],
      ...(own && record === doubt.record ? { residentId: own } : {}),
      reviewCandidates: doubt.candidates,
    });
    await this.#index.addBlockingKeys(to, blockingKeys(record, options));
    return { ...doubt, to };
  }
}
