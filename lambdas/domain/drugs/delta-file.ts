/**
 * A daily delta file of the drug catalogue (docs/drugs-devices.md#the-daily-delta), as the operator's
 * command reads it: JSON lines (one entry object a line) or CSV (a header row naming the entry's fields,
 * then one entry a row; RFC 4180 quoting, so names may hold commas and quotes). Blank lines are skipped.
 * Pure: returns the rows as objects for the hub to check, or the line that cannot be read.
 */

export type DeltaRows = { ok: true; rows: Record<string, unknown>[] } | { ok: false; problem: string };

const NULL_WHEN_EMPTY = new Set(["validTo"]);

/** The fields of one CSV line (quotes doubled inside quoted fields) */
function csvFields(line: string): string[] | undefined {
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    if (line[at] === '"') {
      let value = "";
      at++;
      for (;;) {
        const quote = line.indexOf('"', at);
        if (quote < 0) return undefined;
        value += line.slice(at, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          at = quote + 2;
        } else {
          at = quote + 1;
          break;
        }
      }
      fields.push(value);
    } else {
      const comma = line.indexOf(",", at);
      fields.push(line.slice(at, comma < 0 ? line.length : comma));
      at = comma < 0 ? line.length : comma;
    }
    if (at >= line.length) return fields;
    if (line[at] !== ",") return undefined;
    at++;
  }
}

export function readDeltaFile(text: string, format: "jsonl" | "csv"): DeltaRows {
  const lines = text.split(/\r?\n/).map((line, i) => ({ line, n: i + 1 }));
  const filled = lines.filter(({ line }) => line.trim() !== "");
  if (filled.length === 0) return { ok: false, problem: "the file holds no entries" };
  if (format === "jsonl") {
    const rows: Record<string, unknown>[] = [];
    for (const { line, n } of filled) {
      try {
        const row = JSON.parse(line) as unknown;
        if (typeof row !== "object" || row === null || Array.isArray(row)) return { ok: false, problem: `line ${n}: not a JSON object` };
        rows.push(row as Record<string, unknown>);
      } catch (error) {
        return { ok: false, problem: `line ${n}: ${(error as Error).message}` };
      }
    }
    return { ok: true, rows };
  }
  const [header, ...body] = filled;
  const names = csvFields(header!.line);
  if (!names) return { ok: false, problem: `line ${header!.n}: unbalanced quotes in the header` };
  if (body.length === 0) return { ok: false, problem: "the file holds a header and no entries" };
  const rows: Record<string, unknown>[] = [];
  for (const { line, n } of body) {
    const fields = csvFields(line);
    if (!fields) return { ok: false, problem: `line ${n}: unbalanced quotes` };
    if (fields.length !== names.length)
      return { ok: false, problem: `line ${n}: ${fields.length} fields, the header names ${names.length}` };
    // an empty field is absent (gtin) or null (validTo)
    rows.push(
      Object.fromEntries(
        names.flatMap((name, i): [string, string | null][] =>
          fields[i] === "" ? (NULL_WHEN_EMPTY.has(name) ? [[name, null]] : []) : [[name, fields[i]!]],
        ),
      ),
    );
  }
  return { ok: true, rows };
}
