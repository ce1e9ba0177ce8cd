/**
 * The health card's share of `npm run simulate` (docs/health-card.md, docs/simulation.md): residents
 * registered cleanly get a card from the hospital that registered them (a realistic share: 60 %), and
 * most later visits of a carded resident start with a dynamic code verified at registration; a few
 * codes are shown twice (replayed) or after 5 minutes (expired), and one card is lost (declared by the
 * hospital that issued it), refused at the desk and reissued there. A visit accepted at the desk goes on
 * to the encounter the hospital records then (its card-based visits: the usage's visit rate).
 */
import { randomBytes } from "node:crypto";
import { dynamicCode } from "#domain/health-card.ts";
import type { Rng } from "#lib/seed/prng.ts";
import { encounterOf } from "#lib/world/index.ts";
import { RESIDENT_ID_SYSTEM } from "#schemas/patient.ts";

interface Desk {
  id: string;
  cityId: string;
  credential: string;
  practitioners: string[];
}

const CARD_SHARE = 0.6;
const REPLAY_SHARE = 0.04;
const EXPIRED_SHARE = 0.03;

export function healthCardDesk<H extends Desk>(base: string, rng: Rng, clinician: (h: H) => string) {
  const cards = new Map<string, { cardId: string; cardKey: string; issuer: H } | "none" | "pending">();
  const counts = {
    encounters: 0,
    issued: 0,
    notYetInIndex: 0,
    accepted: 0,
    replayed: 0,
    expired: 0,
    cardInactive: 0,
    other: 0,
    lost: 0,
    reissued: 0,
  };
  let lostOne = false;
  const post = async (h: H, op: string, parameter: unknown[], practitioner?: string) => {
    const res = await fetch(`${base}/cities/${h.cityId}/fhir/Patient/$${op}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${h.credential}`,
        "content-type": "application/fhir+json",
        ...(practitioner ? { "x-practitioner-id": practitioner } : {}),
      },
      body: JSON.stringify({ resourceType: "Parameters", parameter }),
    });
    return {
      status: res.status,
      json: (await res.json().catch(() => ({}))) as {
        parameter?: { name: string; valueString?: string }[];
        issue?: { details?: { coding?: { code: string }[] } }[];
      },
    };
  };
  const issue = async (h: H, residentId: string, reissue = false) => {
    const res = await post(
      h,
      "issue-health-card",
      [
        { name: "identifier", valueIdentifier: { system: RESIDENT_ID_SYSTEM, value: residentId } },
        ...(reissue ? [{ name: "reissue", valueBoolean: true }] : []),
      ],
      clinician(h),
    );
    if (res.status !== 201) return undefined;
    const value = (name: string) => res.json.parameter?.find((p) => p.name === name)?.valueString ?? "";
    return { cardId: value("cardId"), cardKey: value("cardKey") };
  };
  const verify = async (h: H, code: string) => {
    const res = await post(h, "verify-health-card", [
      { name: "code", valueString: code },
      { name: "terminal", valueString: `${h.id}-desk` },
      { name: "careStep", valueCode: "registration" },
    ]);
    const why = res.json.issue?.[0]?.details?.coding?.[0]?.code;
    if (res.status === 200) {
      counts.accepted++;
      return true;
    }
    if (why === "replayed") counts.replayed++;
    else if (why === "expired") counts.expired++;
    else if (why === "card-inactive") counts.cardInactive++;
    else counts.other++;
    return false;
  };
  /** The encounter the hospital records once the resident is registered (started now, finished half an hour on) */
  const encounter = async (h: H, residentId: string) => {
    const start = new Date();
    const res = await fetch(`${base}/cities/${h.cityId}/fhir/Encounter`, {
      method: "POST",
      headers: { authorization: `Bearer ${h.credential}`, "content-type": "application/fhir+json", "x-practitioner-id": clinician(h) },
      body: JSON.stringify({
        ...encounterOf(
          h.id,
          `CARD-${randomBytes(6).toString("hex")}`,
          "-",
          false,
          start.toISOString(),
          new Date(start.getTime() + 1_800_000).toISOString(),
        ),
        subject: { identifier: { system: RESIDENT_ID_SYSTEM, value: residentId } },
      }),
    });
    if (res.status === 201) counts.encounters++;
  };
  const now = () => Math.floor(Date.now() / 1000);
  const nonce = () => randomBytes(8).toString("hex");

  return {
    counts,
    /** A resident registered cleanly at `issuer` visits `h`: a card the first time (60 %), then a verification */
    async visit(issuer: H, h: H, residentId: string | undefined): Promise<void> {
      if (!residentId) return;
      const held = cards.get(residentId);
      if (held === "none" || held === "pending") return;
      if (!held) {
        if (rng.next() >= CARD_SHARE) return void cards.set(residentId, "none");
        cards.set(residentId, "pending");
        const card = await issue(issuer, residentId);
        if (!card) {
          counts.notYetInIndex++; // the registration is still on its way to the MPI: another visit asks again
          return void cards.delete(residentId);
        }
        counts.issued++;
        return void cards.set(residentId, { ...card, issuer });
      }
      if (!lostOne && counts.accepted > 20) {
        // one resident loses their phone: the issuing hospital declares the card lost, a desk refuses it, a reissue follows
        lostOne = true;
        await post(held.issuer, "health-card-status", [
          { name: "cardId", valueString: held.cardId },
          { name: "status", valueCode: "lost" },
          { name: "reason", valueString: "phone lost (simulation)" },
        ]);
        counts.lost++;
        await verify(h, dynamicCode(held.cardId, held.cardKey, now(), nonce()));
        const next = await issue(h, residentId, true);
        if (next) {
          counts.reissued++;
          cards.set(residentId, { ...next, issuer: h });
        }
        return;
      }
      const r = rng.next();
      const code = dynamicCode(held.cardId, held.cardKey, r < EXPIRED_SHARE ? now() - 400 : now(), nonce());
      const accepted = await verify(h, code);
      if (r >= EXPIRED_SHARE && r < EXPIRED_SHARE + REPLAY_SHARE) await verify(h, code);
      if (accepted) await encounter(h, residentId);
    },
    summary: () =>
      `health cards: ${counts.issued} issued (${counts.reissued} reissued, ${counts.lost} lost; ${counts.notYetInIndex} asked before the registration reached the MPI), ${counts.accepted} verified at registration (${counts.encounters} encounters recorded after), refused: ${counts.replayed} replayed, ${counts.expired} expired, ${counts.cardInactive} inactive, ${counts.other} other`,
  };
}
