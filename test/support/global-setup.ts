/**
 * Once per test run: a seeded, bundled province data folder that every local-province test copies
 * (test/support/province.ts newDataDir), instead of seeding 467 hospitals and 16,000 staff again in
 * each test file. A test that checks the first start itself asks for a fresh folder.
 * Its bundles are the run's handler bundles: the CDK synths of the infra tests copy them
 * (lib/bundle.ts, HHC_BUNDLE_CACHE) and the bundle-size test reads their metafiles.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BUNDLE_CACHE_ENV } from "#lib/bundle.ts";
import { startProvince } from "#local/province.ts";

export const TEMPLATE_ENV = "HHC_TEST_TEMPLATE_DIR";

export default async function setup(): Promise<() => void> {
  const template = mkdtempSync(path.join(tmpdir(), "hhc-template-"));
  const province = await startProvince({ dataDir: template, port: 0, log: () => {} });
  await province.stop();
  process.env[TEMPLATE_ENV] = template;
  process.env[BUNDLE_CACHE_ENV] = path.join(template, "bundles");
  return () => rmSync(template, { recursive: true, force: true });
}
