/**
 * The seed's DeviceDefinition registry (docs/drugs-devices.md#the-devicedefinition-registry): a few
 * hundred synthetic device types, generated deterministically (lib/seed/prng.ts) so every seeded
 * province holds the same. Domestic makers' DIs are GS1 GTIN-14s under China's prefix 69 (their check
 * digit right); one in eight is an imported device labelled under HIBCC.
 */
import { gtinCheckDigit } from "#domain/drugs/codes.ts";
import { hibccCheckChar } from "#domain/drugs/udi.ts";
import type { DeviceEntry } from "#schemas/drugs.ts";
import { createRng } from "./prng.ts";

/** Device types: name, risk class, implantable */
const TYPES: [string, "I" | "II" | "III", boolean][] = [
  ["髋关节假体", "III", true],
  ["膝关节假体", "III", true],
  ["冠状动脉药物洗脱支架", "III", true],
  ["植入式心脏起搏器", "III", true],
  ["人工晶状体", "III", true],
  ["骨科内固定螺钉", "III", true],
  ["人工耳蜗", "III", true],
  ["乳房植入体", "III", true],
  ["一次性使用输液器", "II", false],
  ["医用外科口罩", "II", false],
  ["血糖试纸", "II", false],
  ["医用纱布敷料", "I", false],
];
const MAKERS = [
  "微创医疗器械（上海）有限公司",
  "乐普（北京）医疗器械股份有限公司",
  "威高集团有限公司",
  "迈瑞医疗国际股份有限公司",
  "爱康医疗控股有限公司",
];
const IMPORTERS = ["美敦力（上海）管理有限公司", "强生（上海）医疗器材有限公司", "史赛克（北京）医疗器械有限公司"];

export const SEED_DEVICE_COUNT = 240;

/** The seed's registry, the same on every run */
export function generateDeviceRegistry(count = SEED_DEVICE_COUNT): DeviceEntry[] {
  const rng = createRng("hebei-device-registry-v1");
  return Array.from({ length: count }, (_, i) => {
    const [type, riskClass, implantable] = rng.pick(TYPES);
    const imported = rng.next() < 0.125;
    const model = `${String.fromCharCode(65 + (i % 26))}${rng.int(100, 999)}`;
    // GS1: indicator 0, prefix 69, a 5-digit company, a 5-digit item; HIBCC: a labeler, the model, unit 1
    const body = `069${String(rng.int(10_000, 99_999))}${String(i + 1).padStart(5, "0")}`;
    const di = imported ? `H${String(rng.int(100, 999))}${model}1` : body + gtinCheckDigit(body);
    return {
      di,
      name: `${type} ${model}`,
      manufacturer: imported ? rng.pick(IMPORTERS) : rng.pick(MAKERS),
      model,
      type,
      riskClass,
      implantable,
    };
  });
}

/** A printed UDI of a seeded device: its DI with a lot (GS1 human-readable, or HIBCC with its check character) */
export function udiOf(entry: DeviceEntry, lot: string): string {
  if (/^[0-9]/.test(entry.di)) return `(01)${entry.di}(10)${lot}`;
  const data = `+${entry.di}/$${lot}`;
  return data + hibccCheckChar(data);
}
