/**
 * The facts of a treatment relationship (domain/push/relationship.ts) for one resident, at the hub.
 * Input: an EMPI. Output: every hospital's contacts with the resident, its merged records included
 * (none for a resident the MPI does not know).
 * Primary course: resolve the resident at the MPI (the survivor its merges lead to, and the residents
 * merged into it); their PIXm feeds are the contacts the MPI holds (each record at its last update);
 * every other source (the encounters recorded at the hub; open telemedicine Tasks, once there are
 * any) is asked about all of the resident's EMPIs, and the contacts are put together.
 */
import { type Contact, encounterContacts } from "#domain/push/relationship.ts";
import type { RecordLocator } from "#ports/connections.ts";
import type { ContactSource } from "#ports/push.ts";
import { confirmedSources, type MpiDeps, resolveView } from "#use-cases/mpi/residents.ts";

export interface RelationshipDeps {
  mpi: MpiDeps;
  /** The contacts beyond the feeds: encounters, and later open telemedicine Tasks */
  sources: readonly ContactSource[];
}

export async function residentContacts(deps: RelationshipDeps, empi: string): Promise<Contact[]> {
  const view = await resolveView(deps.mpi, empi);
  if (!view) return [];
  const empis = view.members.map((m) => m.empi);
  const [feeds, ...others] = await Promise.all([confirmedSources(deps.mpi, view), ...deps.sources.map((source) => source(empis))]);
  return [...feeds.map(({ stored }) => ({ hospitalId: stored.hospitalId, at: stored.lastUpdated })), ...others.flat()];
}

/** The encounters the hub's record locator holds for the resident's EMPIs, as contacts */
export const encounterSource =
  (locator: Pick<RecordLocator, "list">): ContactSource =>
  async (empis) =>
    encounterContacts((await Promise.all(empis.map((e) => locator.list(e, "Encounter")))).flat());
