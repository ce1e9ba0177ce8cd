/** The GB 11643 resident ID check lives with the contracts (schemas/checks/resident-id.ts); re-exported for the domain. */
export * from "#schemas/checks/resident-id.ts";
