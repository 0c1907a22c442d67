-- DropIndex
DROP INDEX "PaymentSession_shop_receivedAt_idx";

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "staffUserId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "paymentSessionId" TEXT,
    "subject" TEXT,
    "beforeState" TEXT,
    "afterState" TEXT,
    "reason" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AuditEntry_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop" ("domain") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AuditEntry_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SessionReplay" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "shopifyRequestId" TEXT NOT NULL,
    "conflict" BOOLEAN NOT NULL DEFAULT false,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ProviderCall" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "paymentSessionId" TEXT NOT NULL,
    "followUpGid" TEXT,
    "operation" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "result" TEXT NOT NULL,
    "reference" TEXT,
    CONSTRAINT "ProviderCall_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Shop" (
    "domain" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "paymentsApiVersion" TEXT,
    "needsReinstallAt" DATETIME,
    "externalHandle" TEXT,
    "ready" BOOLEAN NOT NULL DEFAULT false,
    "configuredAt" DATETIME
);
INSERT INTO "new_Shop" ("createdAt", "domain", "needsReinstallAt", "paymentsApiVersion") SELECT "createdAt", "domain", "needsReinstallAt", "paymentsApiVersion" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "AuditEntry_shop_createdAt_idx" ON "AuditEntry"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "AuditEntry_paymentSessionId_createdAt_idx" ON "AuditEntry"("paymentSessionId", "createdAt");

-- CreateIndex
CREATE INDEX "SessionReplay_shop_kind_shopifyId_idx" ON "SessionReplay"("shop", "kind", "shopifyId");

-- CreateIndex
CREATE INDEX "ProviderCall_paymentSessionId_startedAt_idx" ON "ProviderCall"("paymentSessionId", "startedAt");

-- CreateIndex
CREATE INDEX "PaymentSession_shop_receivedAt_id_idx" ON "PaymentSession"("shop", "receivedAt", "id");

-- CreateIndex
CREATE INDEX "PaymentSession_shop_status_receivedAt_id_idx" ON "PaymentSession"("shop", "status", "receivedAt", "id");

-- CreateIndex
CREATE INDEX "PaymentSession_shop_gid_idx" ON "PaymentSession"("shop", "gid");

-- CreateIndex
CREATE INDEX "PaymentSession_shop_shopifyRequestId_idx" ON "PaymentSession"("shop", "shopifyRequestId");

-- CreateIndex
CREATE INDEX "RefundSession_shop_gid_idx" ON "RefundSession"("shop", "gid");

-- CreateIndex
CREATE INDEX "RefundSession_shop_shopifyRequestId_idx" ON "RefundSession"("shop", "shopifyRequestId");

-- CreateIndex
CREATE INDEX "CaptureSession_shop_gid_idx" ON "CaptureSession"("shop", "gid");

-- CreateIndex
CREATE INDEX "CaptureSession_shop_shopifyRequestId_idx" ON "CaptureSession"("shop", "shopifyRequestId");

-- CreateIndex
CREATE INDEX "VoidSession_shop_gid_idx" ON "VoidSession"("shop", "gid");

-- CreateIndex
CREATE INDEX "VoidSession_shop_shopifyRequestId_idx" ON "VoidSession"("shop", "shopifyRequestId");

