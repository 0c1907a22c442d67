import type { Db } from "../db.server";
import { decryptOptionalPii, decryptPii, emailLookup, encryptOptionalPii, encryptPii, phoneLookup, piiKeyIdOf, type PiiKeyring } from "./pii-crypto.server";

const ADDRESS_FIELDS = ["givenName", "familyName", "line1", "line2", "city", "postalCode", "province", "provinceCode", "phoneNumber", "company"] as const;

/** Whether a stored value must be rewritten: in clear (from before encryption) or under another key than the current one. */
const stale = (keyring: PiiKeyring, stored: string | null) => stored !== null && piiKeyIdOf(stored) !== keyring.current.id;

/**
 * Key rotation's second half (decision 0006): rewrites every stored customer
 * value that is in clear or encrypted with a key other than the current one,
 * and recomputes the lookup hashes (so rows from before encryption become
 * findable by the privacy webhooks). Batches of 200 rows, each batch one
 * transaction that starts with its writes. Safe to run while the app runs and
 * to run again. Returns how many rows were rewritten.
 */
export async function reencryptCustomerData(db: Db, keyring: PiiKeyring, batchSize = 200): Promise<{ payments: number; addresses: number; exports: number }> {
  const done = { payments: 0, addresses: 0, exports: 0 };

  for (let cursor: string | undefined; ; ) {
    const rows = await db.paymentSession.findMany({
      where: { OR: [{ customerEmail: { not: null } }, { customerPhoneNumber: { not: null } }] },
      select: { id: true, customerEmail: true, customerPhoneNumber: true },
      orderBy: { id: "asc" },
      take: batchSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (rows.length === 0) break;
    cursor = rows.at(-1)?.id;
    const updates = rows
      .filter((row) => stale(keyring, row.customerEmail) || stale(keyring, row.customerPhoneNumber))
      .map((row) => {
        const email = decryptOptionalPii(keyring, "PaymentSession.customerEmail", row.customerEmail);
        const phone = decryptOptionalPii(keyring, "PaymentSession.customerPhoneNumber", row.customerPhoneNumber);
        return db.paymentSession.update({
          where: { id: row.id },
          data: {
            customerEmail: encryptOptionalPii(keyring, "PaymentSession.customerEmail", email),
            customerPhoneNumber: encryptOptionalPii(keyring, "PaymentSession.customerPhoneNumber", phone),
            customerEmailLookup: emailLookup(keyring, email),
            customerPhoneLookup: phoneLookup(keyring, phone),
          },
        });
      });
    if (updates.length > 0) await db.$transaction(updates);
    done.payments += updates.length;
  }

  for (let cursor: { paymentSessionId: string; role: "BILLING" | "SHIPPING" } | undefined; ; ) {
    const rows = await db.paymentAddress.findMany({
      orderBy: [{ paymentSessionId: "asc" }, { role: "asc" }],
      take: batchSize,
      ...(cursor ? { cursor: { paymentSessionId_role: cursor }, skip: 1 } : {}),
    });
    if (rows.length === 0) break;
    const last = rows.at(-1);
    cursor = last ? { paymentSessionId: last.paymentSessionId, role: last.role } : undefined;
    const updates = rows
      .filter((row) => ADDRESS_FIELDS.some((field) => stale(keyring, row[field])))
      .map((row) => {
        const data = Object.fromEntries(
          ADDRESS_FIELDS.map((field) => [field, encryptOptionalPii(keyring, `PaymentAddress.${field}`, decryptOptionalPii(keyring, `PaymentAddress.${field}`, row[field]))]),
        );
        return db.paymentAddress.update({ where: { paymentSessionId_role: { paymentSessionId: row.paymentSessionId, role: row.role } }, data });
      });
    if (updates.length > 0) await db.$transaction(updates);
    done.addresses += updates.length;
  }

  const exports = await db.customerDataExport.findMany({ select: { id: true, document: true } });
  for (const row of exports.filter((e) => stale(keyring, e.document))) {
    const document = decryptPii(keyring, "CustomerDataExport.document", row.document);
    await db.customerDataExport.update({ where: { id: row.id }, data: { document: encryptPii(keyring, "CustomerDataExport.document", document) } });
    done.exports++;
  }
  return done;
}
