export { BUNDLING } from "./bundling.ts";
export { CITY_DECLARATION } from "./city.ts";
export { GATEWAY_RESPONSE_HEADERS, GATEWAY_RESPONSES } from "./gateway-responses.ts";
export { HUB_API_MOUNTS, HUB_DECLARATION, hubStackDeclaration } from "./hub.ts";
export { INSURANCE_DECLARATION } from "./insurance.ts";
export * from "./types.ts";
