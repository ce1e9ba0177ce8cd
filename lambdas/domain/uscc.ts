/** The unified social credit code check lives with the contracts (schemas/checks/uscc.ts); re-exported for the domain. */
export * from "#schemas/checks/uscc.ts";
