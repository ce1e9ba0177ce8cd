/**
 * JSON.parse turns "12.345" into a float before anyone can look at it (Node 20 has no reviver
 * source text). This parse keeps the decimal text of every number, by its path ("item.0.net.value"),
 * so that amounts are read exactly. Pure.
 */

const MARK = "\u0000n:";

/** Wraps every number token outside strings in a marked string, leaving strings untouched. */
function markNumbers(raw: string): string {
  let out = "";
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < raw.length && raw[j] !== '"') j += raw[j] === "\\" ? 2 : 1;
      out += raw.slice(i, j + 1);
      i = j + 1;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      const m = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(raw.slice(i, i + 400));
      if (!m) {
        out += c;
        i++;
        continue;
      }
      out += JSON.stringify(MARK + m[0]);
      i += m[0].length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Parses JSON (throws SyntaxError as JSON.parse does), returning the value and each number's text by path. */
export function parseJsonKeepingNumbers(raw: string): { json: unknown; numbers: Map<string, string> } {
  // the unmarked parse is the validity check: marking must never make invalid JSON valid
  JSON.parse(raw);
  const numbers = new Map<string, string>();
  const restore = (node: unknown, path: string[]): unknown => {
    if (typeof node === "string" && node.startsWith(MARK)) {
      const text = node.slice(MARK.length);
      numbers.set(path.join("."), text);
      return Number(text);
    }
    if (Array.isArray(node)) return node.map((v, i) => restore(v, [...path, String(i)]));
    if (node && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, restore(v, [...path, k])]));
    }
    return node;
  };
  return { json: restore(JSON.parse(markNumbers(raw)), []), numbers };
}
