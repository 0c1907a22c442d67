import { piiKeyringFromEnv } from "../../app/privacy/pii-crypto.server";
import { TEST_API_SECRET } from "./app-process";

/**
 * The customer-data keys of an app started by startApp without PII_* variables
 * (derived from the app secret outside production), to read what it stored.
 */
export const testPiiKeyring = () => piiKeyringFromEnv({ SHOPIFY_API_SECRET: TEST_API_SECRET });
