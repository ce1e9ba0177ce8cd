/**
 * The DeviceDefinition registry at the hub (docs/drugs-devices.md#the-devicedefinition-registry).
 * importDevices — input: the operator's delta of device types. Output: how many changed. Primary course:
 *   every entry's DI checked first (400 naming `entries.<i>.di`; a DI two entries share → 400), then
 *   the entries that differ from the registry written; the same delta again changes nothing.
 * deviceDefinitionOf — input: a DI (a city's read, for a hospital's UDI). Output: its DeviceDefinition, or
 *   undefined when the registry does not hold it; a malformed DI → 400 naming `di`.
 */
import { deviceDefinition, diProblems } from "#domain/drugs/devices.ts";
import { BadRequestError } from "#domain/errors.ts";
import type { DeviceRegistryStore } from "#ports/drugs.ts";
import type { DeviceDelta } from "#schemas/drugs.ts";

export async function importDevices(registry: DeviceRegistryStore, delta: DeviceDelta) {
  const seen = new Map<string, number>();
  delta.entries.forEach((entry, i) => {
    const problem = diProblems(entry.di)[0];
    if (problem) throw new BadRequestError(`entries.${i}.di: ${problem}`, `entries.${i}.di`);
    const other = seen.get(entry.di);
    if (other !== undefined) throw new BadRequestError(`entries.${i}.di: also the DI of entries.${other}`, `entries.${i}.di`);
    seen.set(entry.di, i);
  });
  const stored = await registry.byDis(delta.entries.map((e) => e.di));
  const changed = delta.entries.filter((entry) => JSON.stringify(stored.get(entry.di)) !== JSON.stringify(entry));
  if (changed.length > 0) await registry.put(changed);
  return { changed: changed.length, unchanged: delta.entries.length - changed.length };
}

export async function deviceDefinitionOf(registry: DeviceRegistryStore, di: string | undefined) {
  if (!di) throw new BadRequestError("di: required (a UDI-DI)", "di");
  const problem = diProblems(di)[0];
  if (problem) throw new BadRequestError(`di: ${problem}`, "di");
  const entry = (await registry.byDis([di])).get(di);
  return entry ? deviceDefinition(entry) : undefined;
}
