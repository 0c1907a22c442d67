import type { JsonRequest } from "../../http/json-body.server";
import type { ClientVerification } from "./request-authenticity.server";

/**
 * A session request as the app's own HTTP server hands it over: Shopify's session
 * endpoints are machine-to-machine JSON and are served without Remix, whose
 * routing and Fetch API objects cost more than the whole receipt (docs/benchmarks.md).
 */
export interface SessionHttpRequest extends JsonRequest {
  path: string;
  /** Whether the connection proved it is Shopify's (mTLS or the TLS proxy's verdict). */
  shopifyClient: ClientVerification;
}
