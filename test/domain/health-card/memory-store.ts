/**
 * An in-memory health card store with the DynamoDB adapter's conditional semantics (an issue moves the
 * document's latest generation only from the one read; an update only from the version read; a code
 * claimed once), and a resident index stand-in, for use-case tests without I/O.
 */
import { cstDay } from "#domain/settlement/claim-response.ts";
import type { CardHolder, CardResidents, CardUse, HealthCard, HealthCardStore, Identifier, VerificationAudit } from "#ports/health-card.ts";

const copy = <T>(value: T): T => structuredClone(value);

export class MemoryCardStore implements HealthCardStore {
  readonly cards = new Map<string, HealthCard>();
  readonly codes = new Map<string, number>();
  readonly uses: CardUse[] = [];
  readonly registrations: { hospitalId: string; empi: string; at: string }[] = [];
  /** the AuditEvents written with the uses (by the use's index) */
  readonly audits = new Map<number, VerificationAudit>();

  async get(cardId: string) {
    const card = this.cards.get(cardId);
    return card ? copy(card) : undefined;
  }
  async issue(card: HealthCard, replaced?: HealthCard) {
    if (replaced && !(await this.update(replaced))) return false;
    if (this.cards.has(card.cardId)) return false;
    this.cards.set(card.cardId, copy(card));
    return true;
  }
  async update(card: HealthCard) {
    if (this.cards.get(card.cardId)?.version !== card.version - 1) return false;
    this.cards.set(card.cardId, copy(card));
    return true;
  }
  async claimCode(code: string, expiresAt: number) {
    if (this.codes.has(code)) return false;
    this.codes.set(code, expiresAt);
    return true;
  }
  async recordUse(use: CardUse, registration?: { hospitalId: string; empi: string; at: string }, audit?: VerificationAudit) {
    if (audit) this.audits.set(this.uses.length, copy(audit));
    this.uses.push(copy(use));
    if (registration) this.registrations.push({ ...registration });
  }
  async usesOn(date: string) {
    return this.uses.filter((u) => cstDay(u.at) === date);
  }
  async registrationsOf(empis: readonly string[]) {
    return this.registrations.filter((r) => empis.includes(r.empi)).map(({ hospitalId, at }) => ({ hospitalId, at }));
  }
  async issuedOn(date: string) {
    return [...this.cards.values()].filter((c) => cstDay(c.issuedAt) === date);
  }
}

/** Residents by identifier, merges as pointers, links and registrations recorded */
export class MemoryCardResidents implements CardResidents {
  readonly byIdentifier = new Map<string, string>();
  readonly holders = new Map<string, CardHolder>();
  readonly mergedInto = new Map<string, string>();
  readonly links: { empi: string; identifiers: Identifier[] }[] = [];

  add(holder: CardHolder) {
    this.holders.set(holder.empi, holder);
    for (const id of holder.identifiers) this.byIdentifier.set(`${id.system}|${id.value}`, holder.empi);
  }
  private survivor(empi: string): string {
    let current = empi;
    while (this.mergedInto.has(current)) current = this.mergedInto.get(current)!;
    return current;
  }
  async resolve(identifier: Identifier) {
    const empi = this.byIdentifier.get(`${identifier.system}|${identifier.value}`);
    return empi ? this.survivor(empi) : undefined;
  }
  async holder(empi: string, demographics: boolean) {
    const holder = this.holders.get(this.survivor(empi));
    return holder && !demographics ? { empi: holder.empi, identifiers: [] } : holder;
  }
  async link(empi: string, identifiers: Identifier[]) {
    this.links.push({ empi, identifiers });
    for (const id of identifiers) this.byIdentifier.set(`${id.system}|${id.value}`, empi);
  }
}
