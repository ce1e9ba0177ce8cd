/**
 * Composition of drugs and devices: the hub's drug catalogue (its DrugCatalogue table).
 */
import { dynamoDrugCatalogue } from "#adapters/drug-catalogue.ts";
import type { DrugCatalogueStore } from "#ports/drugs.ts";
import { tableName } from "#shared/env.ts";

/** The hub's catalogue reads */
export const hubDrugCatalogue = (): DrugCatalogueStore => dynamoDrugCatalogue(tableName("DrugCatalogue"));
