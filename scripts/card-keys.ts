// `npx tsx scripts/card-keys.ts [dir]`: writes a development card-encryption key
// and its self-signed certificate (default dir: data/dev-card-keys) and prints
// what to configure. Development only: production keys are generated where
// they will be kept, and Shopify issues their certificates (docs/cards.md).
import { createDevelopmentCardKey } from "../sandbox/card-keys";

const dir = process.argv[2] ?? "data/dev-card-keys";
const key = await createDevelopmentCardKey(dir);
console.log(`CARD_DECRYPTION_KEY_FILE=${key.keyFile}`);
console.log(`certificate (for the sandbox's encryption): ${key.certificateFile}`);
console.log(`encryption_certificate_fingerprint = "${key.fingerprint}"`);
