/**
 * First start: seed the hub's registries with the province's 467 hospitals, issue a credential
 * per hospital and one for the operator (stored as salted hashes), and write the plaintext once
 * to local-credentials.json in the data folder (a local convenience, DESIGN.md contracts).
 * Re-running after an interrupted seed overwrites the same credential ids: nothing is orphaned.
 */

import { existsSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { batchWriteAll, putRequests } from "#adapters/batch-write.ts";
import { deviceItem } from "#adapters/device-registry.ts";
import { drugCatalogueItems, versionItems } from "#adapters/drug-catalogue.ts";
import { copyItem } from "#adapters/insurance-catalogue.ts";
import { issueCredential } from "#domain/credentials.ts";
import { MEMBERS } from "#domain/departments/catalogue.ts";
import { generateDeviceRegistry } from "#lib/seed/devices.ts";
import { generateDrugCatalogue } from "#lib/seed/drugs.ts";
import { generateHospitals } from "#lib/seed/hospitals.ts";
import { generateStaff } from "#lib/seed/practitioners.ts";
import { provincialPolicyItem } from "#lib/seed/telemedicine.ts";
import type { CredentialRecord } from "#ports/credentials.ts";
import { clock } from "#shared/clock.ts";
import { type ItemLoader, marshal, seedRegistry } from "./seed-registry.ts";

export const CREDENTIALS_FILE = "local-credentials.json";
const SEEDED_MARKER = "seeded.json";

export interface LocalCredentials {
  operator: string;
  hospitals: { id: string; cityId: string; name: string; level: 2 | 3; credential: string; practitioners: string[] }[];
  /** The provincial departments of the exchange (docs/departments.md), each with its member credential */
  departments: { id: string; name: string; credential: string }[];
}

export const isSeeded = (dataDir: string): boolean =>
  existsSync(path.join(dataDir, SEEDED_MARKER)) && existsSync(path.join(dataDir, CREDENTIALS_FILE));

function writeAtomically(file: string, content: string): void {
  writeFileSync(`${file}.tmp`, content, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

export async function seedProvince(
  ddb: DynamoDBDocumentClient,
  dataDir: string,
  tables: {
    registry: string;
    registryIndex: string;
    credentials: string;
    drugCatalogue?: string;
    insuranceCatalogue?: string | undefined;
    deviceRegistry?: string | undefined;
    telemedicine?: string;
  },
  /** The local emulator's direct load (local/emulators.ts), else the items go through BatchWriteItem */
  load?: ItemLoader,
): Promise<{ hospitals: number }> {
  const hospitals = generateHospitals();
  await seedRegistry(ddb, { registry: tables.registry, registryIndex: tables.registryIndex }, hospitals, undefined, load);
  const issuedAt = clock.isoNow();
  const operator = issueCredential("operator-seed");
  const issued = hospitals.map((h) => ({ hospital: h, credential: issueCredential(`${h.id}-seed`) }));
  const members = MEMBERS.map((m) => ({ member: m, credential: issueCredential(`${m.id}-seed`) }));
  const records: CredentialRecord[] = [
    { ...operator.stored, kind: "operator", status: "active", issuedAt },
    ...members.map(({ member, credential }) => ({
      ...credential.stored,
      kind: "member" as const,
      memberId: member.id,
      status: "active" as const,
      issuedAt,
    })),
    ...issued.map(({ hospital, credential }) => ({
      ...credential.stored,
      kind: "hospital" as const,
      hospitalId: hospital.id,
      cityId: hospital.cityId,
      status: "active" as const,
      issuedAt,
    })),
  ];
  if (load)
    await load(
      tables.credentials,
      records.map((r) => marshal({ ...r })),
    );
  else await batchWriteAll(tables.credentials, putRequests(records), ddb);
  if (tables.drugCatalogue) await seedDrugCatalogue(ddb, { ...tables, drugCatalogue: tables.drugCatalogue }, issuedAt, load);
  if (tables.deviceRegistry) {
    const items = generateDeviceRegistry().map(deviceItem);
    if (load)
      await load(
        tables.deviceRegistry,
        items.map((item) => marshal({ ...item })),
      );
    else await batchWriteAll(tables.deviceRegistry, putRequests(items), ddb);
  }
  if (tables.telemedicine) await ddb.send(new PutCommand({ TableName: tables.telemedicine, Item: provincialPolicyItem(hospitals) }));
  // licensed doctors first: practitioners[0] may read and author clinical content (the documented contract)
  const doctors = new Set(
    generateStaff(hospitals)
      .filter((s) => s.roles[0]?.code === "doctor")
      .map((s) => s.roles[0]!.practitionerId),
  );
  const file: LocalCredentials = {
    operator: operator.token,
    hospitals: issued.map(({ hospital, credential }) => ({
      id: hospital.id,
      cityId: hospital.cityId,
      name: hospital.name,
      level: hospital.level,
      credential: credential.token,
      practitioners: [
        ...hospital.practitionerIds.filter((id) => doctors.has(id)),
        ...hospital.practitionerIds.filter((id) => !doctors.has(id)),
      ],
    })),
    departments: members.map(({ member, credential }) => ({ id: member.id, name: member.name, credential: credential.token })),
  };
  writeAtomically(path.join(dataDir, CREDENTIALS_FILE), `${JSON.stringify(file, null, 2)}\n`);
  writeAtomically(path.join(dataDir, SEEDED_MARKER), JSON.stringify({ seededAt: issuedAt, hospitals: hospitals.length }));
  return { hospitals: hospitals.length };
}

/**
 * The seed's drug catalogue (lib/seed/drugs.ts) as its version 1, each drug under every code it carries,
 * and the insurance platform's copy of it as if the hub had sent it (published): the catalogue as it has
 * been, in force from its earliest validity, so claims of earlier service dates find their drugs.
 */
async function seedDrugCatalogue(
  ddb: DynamoDBDocumentClient,
  tables: { drugCatalogue: string; insuranceCatalogue?: string | undefined },
  lastUpdated: string,
  load?: ItemLoader,
): Promise<void> {
  const catalogue = generateDrugCatalogue();
  const inForceFrom = catalogue.map((e) => e.validFrom).sort()[0]!;
  const drugs = catalogue.map((entry) => entry.nationalDrugCode);
  const put = async (table: string, items: Record<string, unknown>[]) => {
    if (load)
      await load(
        table,
        items.map((item) => marshal({ ...item })),
      );
    else await batchWriteAll(table, putRequests(items), ddb);
  };
  await put(tables.drugCatalogue, [
    ...catalogue.flatMap((entry) => drugCatalogueItems({ entry, version: 1, lastUpdated })),
    ...versionItems({ version: 1, lastUpdated, drugs, inForceFrom, published: tables.insuranceCatalogue !== undefined }),
  ]);
  if (tables.insuranceCatalogue)
    await put(
      tables.insuranceCatalogue,
      catalogue.map(({ insuranceCode, category, validFrom, validTo }) =>
        copyItem({ insuranceCode, version: 1, inForceFrom, category, validFrom, validTo }),
      ),
    );
}
