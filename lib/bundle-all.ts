/**
 * Builds every declared handler bundle into a folder (argv[2]), reusing those whose inputs have not
 * changed. Run by bundleHandler (lib/bundle.ts) as a child process: the CDK constructs need their
 * assets synchronously, and esbuild's plugins (lib/bundle-trim.ts) work in its asynchronous API only.
 */
import { bundleHandlers } from "./bundle.ts";
import { CITY_DECLARATION, HUB_DECLARATION, INSURANCE_DECLARATION } from "./declaration/index.ts";

const outRoot = process.argv[2];
if (!outRoot) throw new Error("usage: tsx lib/bundle-all.ts <outRoot>");
const entries = [HUB_DECLARATION, CITY_DECLARATION, INSURANCE_DECLARATION].flatMap((d) => d.functions.map((f) => f.entry));
await bundleHandlers([...new Set(entries)], outRoot);
