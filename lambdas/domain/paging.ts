/**
 * Paging of a node's searches (docs/fhir-clients.md#paging), pure: `_count` within a search's default
 * and maximum, and the page token of a Bundle's `next` link.
 *
 * The token is opaque and bound: AES-256-GCM under a key of the node's (never sent), the position in
 * the ordered results as its plaintext, and as its additional data the caller (hospital and
 * practitioner) and the query without the token. A token followed by another caller, with another
 * query, altered or made up fails to open: a 400 naming `_pageToken`, never another caller's page.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import { BadRequestError } from "./errors.ts";

export const PAGE_TOKEN = "_pageToken";

export interface PageLimits {
  /** `_count` when the query gives none */
  default: number;
  /** the largest `_count` honoured (a larger one is served as this, as FHIR lets a server do) */
  max: number;
}

/** `_count` of a query (given once, a whole number from 1): the limits' default when absent, at most their maximum */
export function pageCount(params: Record<string, string[] | undefined>, limits: PageLimits): number {
  const values = params._count;
  if (!values) return limits.default;
  if (values.length > 1) throw new BadRequestError("_count: give it once", "_count");
  const raw = values[0]!;
  if (!/^\d{1,6}$/.test(raw) || Number(raw) < 1) throw new BadRequestError(`_count: '${raw}' is not a whole number from 1`, "_count");
  return Math.min(Number(raw), limits.max);
}

/** Who follows a page: the calling hospital and the practitioner it names */
export interface PageCaller {
  hospitalId: string;
  practitionerId?: string | undefined;
}

/** The query a token is bound to: every parameter but the token, in a stable order */
export function boundQuery(params: Record<string, string[] | undefined>): [string, string][] {
  return Object.entries(params)
    .filter(([name]) => name !== PAGE_TOKEN)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([name, values]) => (values ?? []).map((v): [string, string] => [name, v]));
}

const additionalData = (caller: PageCaller, query: [string, string][]): Buffer =>
  Buffer.from(JSON.stringify([caller.hospitalId, caller.practitionerId ?? "", query]));

/** A key for page tokens only, derived from a node secret (so the secret itself encrypts nothing) */
export const pageTokenKey = (secret: Buffer): Buffer => createHmac("sha256", secret).update("hhc page tokens v1").digest();

export function sealPageToken(key: Buffer, caller: PageCaller, query: [string, string][], position: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(additionalData(caller, query));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(position), "utf8"), cipher.final()]);
  return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString("base64url");
}

/** The position a token holds, if this caller sealed it for this query; else a 400 naming `_pageToken` */
export function openPageToken(key: Buffer, caller: PageCaller, query: [string, string][], token: string): unknown {
  const bytes = Buffer.from(token, "base64url");
  if (bytes.length > 12 + 16 && bytes.length < 4096 && /^[A-Za-z0-9_-]+$/.test(token)) {
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
      decipher.setAAD(additionalData(caller, query));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      const plain = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]);
      return JSON.parse(plain.toString("utf8"));
    } catch {
      // falls through to the 400
    }
  }
  throw new BadRequestError(
    `${PAGE_TOKEN}: not a page of this search for this caller (follow the Bundle's next link unchanged, with the same credential and X-Practitioner-Id)`,
    PAGE_TOKEN,
  );
}

/** The one token of a query, if any */
export function pageTokenOf(params: Record<string, string[] | undefined>): string | undefined {
  const values = params[PAGE_TOKEN];
  if (values && values.length > 1) throw new BadRequestError(`${PAGE_TOKEN}: give it once`, PAGE_TOKEN);
  return values?.[0];
}

/**
 * One page of results already in their order: the page after the position `after` names (the key
 * of the last result of the previous page), `count` long; `next` the key of its last result when
 * more follow. Keyed, not counted: results that arrive between two pages shift nothing.
 */
export function pageAfter<T>(
  ordered: T[],
  keyOf: (item: T) => string,
  count: number,
  after: string | undefined,
  comesAfter: (item: T, key: string) => boolean,
): { page: T[]; next?: string } {
  const rest = after === undefined ? ordered : ordered.filter((item) => comesAfter(item, after));
  const page = rest.slice(0, count);
  return rest.length > page.length && page.length > 0 ? { page, next: keyOf(page.at(-1)!) } : { page };
}
