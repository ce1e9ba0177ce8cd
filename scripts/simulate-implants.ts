/**
 * Implants' share of `npm run simulate` (docs/drugs-devices.md#implants, docs/simulation.md): about
 * one inpatient stay in eight is orthopaedic or cardiac surgery that implants devices drawn from the
 * seeded implantable DeviceDefinitions (hip and knee prostheses and bone screws; coronary stents and
 * pacemakers), each printed as its UDI with a lot of the day's few, so a recall of a lot finds residents
 * at several hospitals. The hospital's encounter carries them (contained Devices, implanted-device
 * extension); the hub indexes them and the dashboard counts them.
 */
import { generateDeviceRegistry, udiOf } from "#lib/seed/devices.ts";
import type { Rng } from "#lib/seed/prng.ts";
import { chance } from "#lib/world/draw.ts";
import { withImplants } from "#lib/world/encounters.ts";

const SURGERY_SHARE = 0.125;
const ORTHOPAEDIC = ["髋关节假体", "膝关节假体", "骨科内固定螺钉"];
const CARDIAC = ["冠状动脉药物洗脱支架", "植入式心脏起搏器"];
/** Lots per device type in circulation: few, so that lots are shared across hospitals */
const LOTS = 3;

export function implantDesk(rng: Rng) {
  const implantable = generateDeviceRegistry().filter((d) => d.implantable);
  const of = (types: string[]) => implantable.filter((d) => types.includes(d.type));
  const [orthopaedic, cardiac] = [of(ORTHOPAEDIC), of(CARDIAC)];
  const counts = { orthopaedic: 0, cardiac: 0, devices: 0 };
  return {
    counts,
    /** The inpatient encounter, with implanted devices for some (its contained Conditions kept) */
    visit<E extends { subject: { identifier: { system: string; value: string } }; contained?: unknown[] }>(
      encounter: E,
      inpatient: boolean,
    ) {
      if (!inpatient || !chance(rng, SURGERY_SHARE)) return encounter;
      const ortho = chance(rng, 0.6);
      counts[ortho ? "orthopaedic" : "cardiac"]++;
      const devices = Array.from({ length: ortho && chance(rng, 0.5) ? 3 : 1 }, () => rng.pick(ortho ? orthopaedic : cardiac));
      const udis = devices.map((d) => udiOf(d, `L${d.model}-${rng.int(1, LOTS)}`));
      counts.devices += udis.length;
      const implanted = withImplants(encounter, udis);
      return { ...implanted, contained: [...(encounter.contained ?? []), ...implanted.contained] };
    },
    summary: () =>
      `implants: ${counts.orthopaedic} orthopaedic and ${counts.cardiac} cardiac operations recorded ${counts.devices} implanted devices`,
  };
}
