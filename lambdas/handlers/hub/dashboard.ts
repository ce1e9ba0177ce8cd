/** GET /dashboard (no credential: a static page with no data; it signs the operator in to read /ops/summary). */
import { httpHandler } from "#shared/http.ts";
import { dashboardPage } from "./dashboard-page.ts";

const page = dashboardPage();

export const handler = httpHandler(async () => ({
  statusCode: 200,
  headers: {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-cache",
    // the page loads nothing from elsewhere and is never framed
    "content-security-policy":
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
  },
  text: page,
}));
