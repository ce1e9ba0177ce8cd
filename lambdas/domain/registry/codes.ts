/** The registry's identifier and code systems live with the contracts (schemas/registry-codes.ts); re-exported for the domain. */
export * from "#schemas/registry-codes.ts";
