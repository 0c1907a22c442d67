import { getEnv } from "../env.server";
import { piiKeyringFromEnv, type PiiKeyring } from "./pii-crypto.server";

let keyring: PiiKeyring | undefined;

/** This process's customer-data keys, from the validated environment (built once). */
export function getPiiKeyring(): PiiKeyring {
  keyring ??= piiKeyringFromEnv(getEnv());
  return keyring;
}
