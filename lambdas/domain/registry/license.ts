/** The licence number formats live with the contracts (schemas/checks/license.ts); re-exported for the domain. */
export * from "#schemas/checks/license.ts";
