/**
 * The health card's reference code generator (docs/health-card.md), as a resident's app embeds it:
 *   npm run health-card -- code --card <cardId> --key <cardKey> [--time <unix seconds>] [--nonce <nonce>] [--static] [--no-qr]
 * prints a dynamic code (or the static one) and draws it as a QR code in the terminal. The time is the
 * local province's clock (GET /local/clock) when one answers, else this machine's (`--time` overrides both).
 */
import { randomBytes } from "node:crypto";
import qrcode from "qrcode-terminal";
import { dynamicCode, staticCode } from "#domain/health-card.ts";
import { CARD_ID, CARD_KEY } from "#schemas/health-card.ts";
import { fail, localProvinceUrl, parseCli, runCli } from "./cli.ts";

const USAGE = `
npm run health-card -- code --card <cardId> --key <cardKey> [options]

  --card <id>        the card id (32 characters of A-Z and 2-7), as $issue-health-card answered it
  --key <hex>        the card key (64 hex digits), shown once at issue
  --time <seconds>   the code's unix time (default: the local province's clock, else this machine's)
  --nonce <text>     8 to 32 characters of A-Z, a-z, 0-9 (default: 16 random ones)
  --static           the static code HC1:<cardId> instead (identifies only)
  --no-qr            print the code alone, without the terminal QR code
`;

const { positionals, values } = parseCli(
  {
    allowPositionals: true,
    options: {
      card: { type: "string" },
      key: { type: "string" },
      time: { type: "string" },
      nonce: { type: "string" },
      static: { type: "boolean" },
      "no-qr": { type: "boolean" },
    },
  },
  USAGE,
  "npm run health-card",
);

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const randomNonce = (): string => [...randomBytes(16)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join("");

/** The local province's clock (unix seconds) when it answers within a second, else undefined */
async function provinceSeconds(): Promise<number | undefined> {
  try {
    const answer = await fetch(`${localProvinceUrl()}/local/clock`, { signal: AbortSignal.timeout(1000) });
    if (!answer.ok) return undefined;
    const body = (await answer.json()) as { now?: string };
    return body.now ? Math.floor(Date.parse(body.now) / 1000) : undefined;
  } catch {
    return undefined;
  }
}

await runCli(async () => {
  if (positionals[0] !== "code") fail(`expected the command 'code' (npm run health-card -- --help)`);
  const card = values.card?.trim().toUpperCase() ?? "";
  if (!CARD_ID.test(card)) fail("--card: a card id is 32 characters of A-Z and 2-7");
  let code: string;
  if (values.static) code = staticCode(card);
  else {
    const key = values.key?.trim().toLowerCase() ?? "";
    if (!CARD_KEY.test(key)) fail("--key: the card key is 64 hex digits");
    if (values.time !== undefined && !/^\d{1,12}$/.test(values.time)) fail("--time: whole unix seconds");
    const nonce = values.nonce ?? randomNonce();
    if (!/^[A-Za-z0-9]{8,32}$/.test(nonce)) fail("--nonce: 8 to 32 characters of A-Z, a-z, 0-9");
    const seconds = values.time !== undefined ? Number(values.time) : ((await provinceSeconds()) ?? Math.floor(Date.now() / 1000));
    code = dynamicCode(card, key, seconds, nonce);
  }
  console.log(code);
  if (!values["no-qr"]) qrcode.generate(code, { small: true });
});
