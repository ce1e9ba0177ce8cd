/** Telemedicine requests made once (docs/telemedicine.md#retries). Pure. */
import { createHash } from "node:crypto";

/**
 * The Task's and ServiceRequest's ids for a request the hospital names by its own identifier (its order
 * number): the same for every retry of it, so a retry finds the first attempt's Task rather than making a
 * second (docs/telemedicine.md#retries). Another hospital's same identifier gives other ids.
 */
export function idsOfRequestIdentifier(hospitalId: string, identifier: { system: string; value: string }) {
  const uuid = (kind: string) => {
    const h = createHash("sha256").update(`${kind}\n${hospitalId}\n${identifier.system}\n${identifier.value}`).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  };
  return { id: uuid("Task"), serviceRequestId: uuid("ServiceRequest") };
}
