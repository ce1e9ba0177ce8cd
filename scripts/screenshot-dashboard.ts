/**
 * Saves a screenshot of the operations dashboard of a running province (the README's picture):
 *   npx tsx scripts/screenshot-dashboard.ts [--base http://127.0.0.1:8080] [--out docs/img/dashboard.png]
 * Uses Debian's chromium (HHC_CHROMIUM overrides), like the dashboard's test.
 */
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";

const { values } = parseArgs({
  options: {
    base: { type: "string", default: `http://127.0.0.1:${process.env.PORT ?? 8080}` },
    out: { type: "string", default: "docs/img/dashboard.png" },
  },
});
const browser = await chromium.launch({
  executablePath: process.env.HHC_CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
await page.goto(`${values.base}/`);
await page.waitForFunction("document.body.dataset.generatedAt !== undefined", undefined, { timeout: 20_000 });
await page.screenshot({ path: String(values.out), fullPage: true });
await browser.close();
console.log(`Saved ${values.out}`);
