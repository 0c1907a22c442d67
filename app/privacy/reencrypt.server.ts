import type { Db } from "../db.server";
import { openAddress, sealAddress } from "./customer-data.server";
import { decryptOptionalPii, decryptPii, emailLookup, encryptOptionalPii, encryptPii, phoneLookup, piiKeyIdOf, type PiiKeyring } from "./pii-crypto.server";

/** The per-field columns of an address stored before decision 0019, emptied once its fields are sealed together. */
const LEGACY_FIELDS_CLEARED = { givenName: null, familyName: null, line1: null, line2: null, city: null, postalCode: null, province: null, provinceCode: null, phoneNumber: null, company: null };

/** Whether a stored value must be rewritten: in clear (from before encryption) or under another key than the current one. */
const stale = (keyring: PiiKeyring, stored: string | null) => stored !== null && piiKeyIdOf(stored) !== keyring.current.id;

/**
 * Key rotation's second half (decision 0006): rewrites every stored customer
 * value that is in clear or encrypted with a key other than the current one,
 * folds addresses stored field by field into one sealed value (decision 0019),
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
    // Rows of the per-field form (before decision 0019) are folded into one sealed value.
    const updates = rows
      .filter((row) => row.sealed === null || stale(keyring, row.sealed))
      .map((row) => {
        const { sealed } = sealAddress(keyring, openAddress(keyring, row));
        return db.paymentAddress.update({
          where: { paymentSessionId_role: { paymentSessionId: row.paymentSessionId, role: row.role } },
          data: { sealed, ...LEGACY_FIELDS_CLEARED },
        });
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
