/**
 * The resident a document or a search names, by the hub's master patient index.
 * Input: any identifier of the resident (MRN, resident ID number, EMPI) and the asking hospital.
 * Output: the resident's EMPI, or undefined when the index does not know it (or it awaits review).
 * Primary course: ask the hub's PIXm for the identifier → read the EMPI from its answer
 *   (domain/mpi/pix-answer.ts: the survivor of a merge, the EMPI itself, or its target).
 */
import { empiOfPixAnswer, type Identifier } from "#domain/mpi/pix-answer.ts";
import type { ClinicalNetwork } from "#ports/documents.ts";

export async function resolveEmpi(network: ClinicalNetwork, id: Identifier, hospitalId: string): Promise<string | undefined> {
  const answer = await network.pix(id, hospitalId);
  return answer ? empiOfPixAnswer(id, answer) : undefined;
}
