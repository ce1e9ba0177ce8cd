/**
 * A claim's items as the insurance platform reads them against its copy of the drug catalogue
 * (docs/drugs-devices.md#claims-and-the-catalogue), pure: an item coded with an insurance drug code takes
 * the category of the catalogue version in force on the claim's service date; an unknown code, or one
 * not in force that day, rejects the claim whole (`unknown-item-code`), as does an item whose
 * traceability code the hub's registry showed reused (`trace-code-reused`).
 */

/** One catalogue version's word on one insurance code, as the platform keeps it */
export interface CatalogueCopyEntry {
  version: number;
  /** The China Standard Time day from which that version is in force */
  inForceFrom: string;
  /** Absent when the version withdrew the code (the drug's code moved) */
  category?: string;
  validFrom?: string;
  validTo?: string | null;
}

/** The category of an insurance code on `serviceDate` by its versions (any order), or why it has none */
export function categoryOn(history: CatalogueCopyEntry[], serviceDate: string): { category: string } | { problem: string } {
  const inForce = history.filter((e) => e.inForceFrom <= serviceDate).sort((a, b) => b.version - a.version)[0];
  if (!inForce) return { problem: `not in the drug catalogue on ${serviceDate}` };
  if (!inForce.category) return { problem: `withdrawn from the drug catalogue by its version ${inForce.version}` };
  if ((inForce.validFrom && inForce.validFrom > serviceDate) || (inForce.validTo && inForce.validTo < serviceDate))
    return { problem: `not valid on ${serviceDate} (from ${inForce.validFrom} to ${inForce.validTo ?? "open"})` };
  return { category: inForce.category };
}

export interface MessageItem {
  sequence: number;
  category?: string | undefined;
  insuranceCode?: string | undefined;
  traceCode?: string | undefined;
  traceReused?: boolean | undefined;
  netFen: number;
}

export type ResolvedItems =
  | { ok: true; items: { sequence: number; category: string; netFen: number }[] }
  | { ok: false; reasons: { code: "unknown-item-code" | "trace-code-reused"; detail: string }[] };

/** The items with their categories, or every reason the claim is rejected (`histories`: each coded item's versions) */
export function resolveItems(items: MessageItem[], histories: Map<string, CatalogueCopyEntry[]>, serviceDate: string): ResolvedItems {
  const reasons: Extract<ResolvedItems, { ok: false }>["reasons"] = [];
  const resolved = items.map((item) => {
    if (item.traceReused)
      reasons.push({
        code: "trace-code-reused",
        detail: `item ${item.sequence}: traceability code ${item.traceCode} was dispensed twice (resold medicine)`,
      });
    if (item.insuranceCode === undefined) return { sequence: item.sequence, category: item.category ?? "", netFen: item.netFen };
    const found = categoryOn(histories.get(item.insuranceCode) ?? [], serviceDate);
    if ("problem" in found) {
      reasons.push({
        code: "unknown-item-code",
        detail: `item ${item.sequence}: insurance drug code ${item.insuranceCode} is ${found.problem}`,
      });
      return { sequence: item.sequence, category: "", netFen: item.netFen };
    }
    return { sequence: item.sequence, category: found.category, netFen: item.netFen };
  });
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, items: resolved };
}
