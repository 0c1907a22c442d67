// Operator's privacy commands, until the admin shows them:
//   npm run privacy -- exports <shop>          the shop's customer data exports (customers/data_request)
//   npm run privacy -- export <shop> <id>      one export's JSON document (docs/privacy-export.md), to hand to the merchant
//   npm run privacy -- reencrypt               rewrite customer data under the current key (after a rotation, decision 0006), addresses as one sealed value (0019)
//   npm run privacy -- reindex                 recompute the digests that find payments by buyer name (once after the
//                                              migration that added them, and after PII_LOOKUP_KEY changed; decision 0016)
// Uses the app's environment (DATABASE_URL, PII_ENCRYPTION_KEYS, PII_LOOKUP_KEY, SHOPIFY_API_SECRET);
// without SHOPIFY_API_SECRET, the one of `npm run dev` (data/dev.sqlite and its keys).
import { getDb } from "../app/db.server";
import { getEnv } from "../app/env.server";
import { reindexBuyerSearch } from "../app/privacy/buyer-search.server";
import { getCustomerDataExportDocument, listCustomerDataExports } from "../app/privacy/customer-data.server";
import { piiKeyringFromEnv } from "../app/privacy/pii-crypto.server";
import { reencryptCustomerData } from "../app/privacy/reencrypt.server";
import { reencryptProviderAccountSecrets } from "../app/providers/accounts/provider-account-store.server";
import { devEnvironment } from "./dev-env";

if (!process.env.SHOPIFY_API_SECRET) Object.assign(process.env, devEnvironment());

const [command, shop, id] = process.argv.slice(2);
const db = getDb();
try {
  const keyring = piiKeyringFromEnv(getEnv());
  if (command === "exports" && shop) {
    const rows = await listCustomerDataExports(db, shop);
    for (const row of rows) console.log(`${row.id}  ${row.createdAt}  data request ${row.dataRequestId ?? "-"}  customer ${row.shopifyCustomerId ?? "-"}  ${row.paymentCount} payment(s)  expires ${row.expiresAt}`);
    if (rows.length === 0) console.log(`no exports for ${shop}`);
  } else if (command === "export" && shop && id) {
    const document = await getCustomerDataExportDocument(db, keyring, shop, id);
    if (document === null) throw new Error(`${shop} has no export ${id}.`);
    console.log(JSON.stringify(JSON.parse(document), null, 2));
  } else if (command === "reencrypt") {
    const done = await reencryptCustomerData(db, keyring);
    const accounts = await reencryptProviderAccountSecrets(db, keyring);
    console.log(`re-encrypted under key "${keyring.current.id}": ${done.payments} payment(s), ${done.addresses} address(es), ${done.exports} export(s), ${accounts} provider account(s)`);
  } else if (command === "reindex") {
    const payments = await reindexBuyerSearch(db, keyring);
    console.log(`indexed the buyer names of ${payments} payment(s) for the admin's search`);
  } else {
    throw new Error("Usage: npm run privacy -- exports <shop> | export <shop> <id> | reencrypt | reindex");
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
