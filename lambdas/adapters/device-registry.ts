/**
 * DeviceRegistry table (hub): each device type under its UDI-DI (`di`), the entry as JSON. The seed
 * writes the same items (deviceItem).
 */
import type { DeviceRegistryStore } from "#ports/drugs.ts";
import { type DeviceEntry, deviceEntrySchema } from "#schemas/drugs.ts";
import { batchGetAll, batchWriteAll, putRequests } from "./batch-write.ts";

export const deviceItem = (entry: DeviceEntry) => ({ di: entry.di, entry: JSON.stringify(entry) });

export const dynamoDeviceRegistry = (tableName: string): DeviceRegistryStore => ({
  async byDis(dis) {
    const items = await batchGetAll(tableName, "di", dis);
    return new Map(items.map((item) => [String(item.di), deviceEntrySchema.parse(JSON.parse(String(item.entry)))]));
  },
  async put(entries) {
    await batchWriteAll(tableName, putRequests(entries.map(deviceItem)));
  },
});
