/**
 * The province's monthly bill (docs/capacity.md#what-it-costs): per node from its declaration and the
 * load model, priced by lib/capacity/prices.ts, with the cost per 1,000 exchanges and the same load on
 * containers (Fargate and RDS) beside it.
 *   npm run cost [-- --region cn-north-1 --load province-day --multiple 1 --month 12 --node baoding]
 */
import { parseArgs } from "node:util";
import { DOCUMENT_BYTES, estimatesUsed, type NodeBill, provinceBill, WORKING_SECONDS_PER_MONTH } from "#lib/capacity/cost.ts";
import { AVERAGE_DAY_FRACTION_OF_PEAK, PEAK_RATES } from "#lib/capacity/model.ts";
import { PRICES } from "#lib/capacity/prices.ts";

const { values } = parseArgs({
  options: {
    region: { type: "string", default: "cn-north-1" },
    load: { type: "string", default: "province-day" },
    multiple: { type: "string", default: "1" },
    month: { type: "string", default: "12" },
    node: { type: "string", default: "baoding" },
  },
});
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};
const prices = PRICES[values.region] ?? fail(`--region: no prices for ${values.region} (have: ${Object.keys(PRICES).join(", ")})`);
if (values.load !== "province-day") fail(`--load: only province-day is modelled (the average working day; scale it with --multiple)`);
const multiple = Number(values.multiple);
const month = Number(values.month);
if (!(multiple > 0)) fail("--multiple: a positive number");
if (!Number.isInteger(month) || month < 1) fail("--month: a whole number of months, 1 or more");

const bills = provinceBill({ prices, multiple, month });
const money = (n: number) => `${Math.round(n).toLocaleString("en-US")}`;
const services = bills[0]!.lines.map((l) => l.service);
console.log(
  `Monthly bill, ${prices.region} (${prices.currency}), the province-day load ×${multiple} (the average working day, 12 h × 22 days), month ${month} of operation`,
);
console.log(`| node | ${services.join(" | ")} | total | per 1,000 exchanges | on containers |`);
console.log(`| --- | ${services.map(() => "---:").join(" | ")} | ---: | ---: | ---: |`);
const per1000 = (b: Pick<NodeBill, "total" | "exchanges">) => (b.exchanges > 0 ? (1000 * b.total) / b.exchanges : undefined);
for (const b of bills) {
  const unit = per1000(b);
  console.log(
    `| ${b.node} | ${b.lines.map((l) => money(l.amount)).join(" | ")} | ${money(b.total)} | ${unit === undefined ? "" : unit.toFixed(3)} | ${money(b.containersTotal)} |`,
  );
}
const total = bills.reduce((n, b) => n + b.total, 0);
const exchanges = bills.reduce((n, b) => n + b.exchanges, 0);
const containers = bills.reduce((n, b) => n + b.containersTotal, 0);
console.log(
  `| province | ${services.map((s) => money(bills.reduce((n, b) => n + b.lines.find((l) => l.service === s)!.amount, 0))).join(" | ")} | ${money(total)} | ${((1000 * total) / exchanges).toFixed(3)} | ${money(containers)} |`,
);
const shown = bills.find((b) => b.node === values.node) ?? fail(`--node: no node ${values.node}`);
console.log(`\n${shown.node}, serverless:`);
for (const l of shown.lines) console.log(`  ${l.service.padEnd(12)} ${money(l.amount).padStart(10)}  ${l.detail}`);
console.log(`${shown.node}, on containers:`);
for (const l of shown.containers) console.log(`  ${l.service.padEnd(12)} ${money(l.amount).padStart(10)}  ${l.detail}`);
const hub = bills.find((b) => b.kind === "hub")!;
const docs = PEAK_RATES.documents * AVERAGE_DAY_FRACTION_OF_PEAK * WORKING_SECONDS_PER_MONTH * multiple;
console.log(
  `\nhub ${money(hub.total)} ${prices.currency}/month, ${shown.node} ${money(shown.total)}; province ${money(total)} (${((1000 * total) / exchanges).toFixed(3)} per 1,000 exchanges; ${money(exchanges)} exchanges), on containers ${money(containers)}`,
);
console.log(
  `check: ${(docs / 1e6).toFixed(1)}M documents a month modelled (the bulletin: about 641M a year, 53.5M a month), ${((docs * DOCUMENT_BYTES) / 1e12).toFixed(1)} TB a month`,
);
const estimates = estimatesUsed(prices);
if (estimates > 0)
  console.log(
    `note: ${estimates} of the ${prices.region} prices are estimates, not read from their pages (lib/capacity/prices.ts): check them before budgeting`,
  );
