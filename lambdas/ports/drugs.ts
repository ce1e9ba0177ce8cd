/**
 * What the drug catalogue's use cases need: the hub's DrugCatalogue table (adapters/drug-catalogue.ts),
 * one item per code of each drug (its national code, its insurance code, its GTIN where known).
 */
import type { CatalogueEntry } from "#schemas/drugs.ts";

export interface CatalogueRecord {
  entry: CatalogueEntry;
  /** The catalogue version that last changed the entry */
  version: number;
  lastUpdated: string;
}

export interface DrugCatalogueStore {
  /** The entry found under a code key (domain/drugs/catalogue.ts codeKey), if any */
  byKey(key: string): Promise<CatalogueRecord | undefined>;
}
