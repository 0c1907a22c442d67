-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_PaymentAddress" (
    "paymentSessionId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "sealed" TEXT,
    "givenName" TEXT,
    "familyName" TEXT,
    "line1" TEXT,
    "line2" TEXT,
    "city" TEXT,
    "postalCode" TEXT,
    "province" TEXT,
    "provinceCode" TEXT,
    "countryCode" TEXT NOT NULL,
    "phoneNumber" TEXT,
    "company" TEXT,

    PRIMARY KEY ("paymentSessionId", "role"),
    CONSTRAINT "PaymentAddress_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_PaymentAddress" ("city", "company", "countryCode", "familyName", "givenName", "line1", "line2", "paymentSessionId", "phoneNumber", "postalCode", "province", "provinceCode", "role") SELECT "city", "company", "countryCode", "familyName", "givenName", "line1", "line2", "paymentSessionId", "phoneNumber", "postalCode", "province", "provinceCode", "role" FROM "PaymentAddress";
DROP TABLE "PaymentAddress";
ALTER TABLE "new_PaymentAddress" RENAME TO "PaymentAddress";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

