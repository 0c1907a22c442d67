-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "needsReinstallAt" DATETIME;
ALTER TABLE "Shop" ADD COLUMN "paymentsApiVersion" TEXT;

-- AlterTable
ALTER TABLE "PaymentSession" ADD COLUMN "nextActionUrl" TEXT;
ALTER TABLE "PaymentSession" ADD COLUMN "pendingReason" TEXT;
ALTER TABLE "PaymentSession" ADD COLUMN "providerCheckAt" DATETIME;
ALTER TABLE "PaymentSession" ADD COLUMN "providerName" TEXT;
ALTER TABLE "PaymentSession" ADD COLUMN "providerReference" TEXT;

-- CreateTable
CREATE TABLE "Delivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "sessionGid" TEXT NOT NULL,
    "paymentSessionId" TEXT,
    "refundSessionId" TEXT,
    "captureSessionId" TEXT,
    "voidSessionId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseOwner" TEXT,
    "leaseExpiresAt" DATETIME,
    "lastError" TEXT,
    "resultStateCode" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "succeededAt" DATETIME,
    "failedAt" DATETIME,
    CONSTRAINT "Delivery_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop" ("domain") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Delivery_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Delivery_refundSessionId_fkey" FOREIGN KEY ("refundSessionId") REFERENCES "RefundSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Delivery_captureSessionId_fkey" FOREIGN KEY ("captureSessionId") REFERENCES "CaptureSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Delivery_voidSessionId_fkey" FOREIGN KEY ("voidSessionId") REFERENCES "VoidSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DeliveryAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deliveryId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "httpStatus" INTEGER,
    "detail" TEXT,
    CONSTRAINT "DeliveryAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "Delivery" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SandboxCharge" (
    "paymentId" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "scenario" TEXT NOT NULL,
    "declineCode" TEXT,
    "settlesAt" DATETIME NOT NULL,
    "result" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SandboxOperation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "paymentId" TEXT NOT NULL,
    "amountMinor" BIGINT,
    "result" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_RefundSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "gid" TEXT NOT NULL,
    "paymentSessionId" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "amount" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL,
    "merchantLocale" TEXT NOT NULL,
    "proposedAt" DATETIME NOT NULL,
    "shopifyApiVersion" TEXT NOT NULL,
    "shopifyRequestId" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RECEIVED',
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME,
    "rejectedAt" DATETIME,
    "rejectionCode" TEXT,
    "rejectionMessage" TEXT,
    "ruleViolation" TEXT,
    "processAfter" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "providerReference" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RefundSession_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop" ("domain") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RefundSession_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RefundSession" ("amount", "amountMinor", "currency", "gid", "id", "merchantLocale", "paymentSessionId", "proposedAt", "receivedAt", "rejectedAt", "rejectionCode", "rejectionMessage", "requestHash", "resolvedAt", "ruleViolation", "shop", "shopifyApiVersion", "shopifyId", "shopifyRequestId", "status", "test", "updatedAt") SELECT "amount", "amountMinor", "currency", "gid", "id", "merchantLocale", "paymentSessionId", "proposedAt", "receivedAt", "rejectedAt", "rejectionCode", "rejectionMessage", "requestHash", "resolvedAt", "ruleViolation", "shop", "shopifyApiVersion", "shopifyId", "shopifyRequestId", "status", "test", "updatedAt" FROM "RefundSession";
DROP TABLE "RefundSession";
ALTER TABLE "new_RefundSession" RENAME TO "RefundSession";
CREATE INDEX "RefundSession_paymentSessionId_idx" ON "RefundSession"("paymentSessionId");
CREATE INDEX "RefundSession_status_processAfter_idx" ON "RefundSession"("status", "processAfter");
CREATE UNIQUE INDEX "RefundSession_shop_shopifyId_key" ON "RefundSession"("shop", "shopifyId");
CREATE TABLE "new_CaptureSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "gid" TEXT NOT NULL,
    "paymentSessionId" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "amount" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL,
    "merchantLocale" TEXT NOT NULL,
    "proposedAt" DATETIME NOT NULL,
    "shopifyApiVersion" TEXT NOT NULL,
    "shopifyRequestId" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RECEIVED',
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME,
    "rejectedAt" DATETIME,
    "rejectionCode" TEXT,
    "rejectionMessage" TEXT,
    "ruleViolation" TEXT,
    "processAfter" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "providerReference" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CaptureSession_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop" ("domain") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CaptureSession_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_CaptureSession" ("amount", "amountMinor", "currency", "gid", "id", "merchantLocale", "paymentSessionId", "proposedAt", "receivedAt", "rejectedAt", "rejectionCode", "rejectionMessage", "requestHash", "resolvedAt", "ruleViolation", "shop", "shopifyApiVersion", "shopifyId", "shopifyRequestId", "status", "test", "updatedAt") SELECT "amount", "amountMinor", "currency", "gid", "id", "merchantLocale", "paymentSessionId", "proposedAt", "receivedAt", "rejectedAt", "rejectionCode", "rejectionMessage", "requestHash", "resolvedAt", "ruleViolation", "shop", "shopifyApiVersion", "shopifyId", "shopifyRequestId", "status", "test", "updatedAt" FROM "CaptureSession";
DROP TABLE "CaptureSession";
ALTER TABLE "new_CaptureSession" RENAME TO "CaptureSession";
CREATE INDEX "CaptureSession_paymentSessionId_idx" ON "CaptureSession"("paymentSessionId");
CREATE INDEX "CaptureSession_status_processAfter_idx" ON "CaptureSession"("status", "processAfter");
CREATE UNIQUE INDEX "CaptureSession_shop_shopifyId_key" ON "CaptureSession"("shop", "shopifyId");
CREATE TABLE "new_VoidSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "gid" TEXT NOT NULL,
    "paymentSessionId" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL,
    "merchantLocale" TEXT NOT NULL,
    "proposedAt" DATETIME NOT NULL,
    "shopifyApiVersion" TEXT NOT NULL,
    "shopifyRequestId" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'RECEIVED',
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" DATETIME,
    "rejectedAt" DATETIME,
    "rejectionCode" TEXT,
    "rejectionMessage" TEXT,
    "ruleViolation" TEXT,
    "processAfter" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "providerReference" TEXT,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "VoidSession_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop" ("domain") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "VoidSession_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_VoidSession" ("gid", "id", "merchantLocale", "paymentSessionId", "proposedAt", "receivedAt", "rejectedAt", "rejectionCode", "rejectionMessage", "requestHash", "resolvedAt", "ruleViolation", "shop", "shopifyApiVersion", "shopifyId", "shopifyRequestId", "status", "test", "updatedAt") SELECT "gid", "id", "merchantLocale", "paymentSessionId", "proposedAt", "receivedAt", "rejectedAt", "rejectionCode", "rejectionMessage", "requestHash", "resolvedAt", "ruleViolation", "shop", "shopifyApiVersion", "shopifyId", "shopifyRequestId", "status", "test", "updatedAt" FROM "VoidSession";
DROP TABLE "VoidSession";
ALTER TABLE "new_VoidSession" RENAME TO "VoidSession";
CREATE INDEX "VoidSession_paymentSessionId_idx" ON "VoidSession"("paymentSessionId");
CREATE INDEX "VoidSession_status_processAfter_idx" ON "VoidSession"("status", "processAfter");
CREATE UNIQUE INDEX "VoidSession_shop_shopifyId_key" ON "VoidSession"("shop", "shopifyId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Delivery_status_nextAttemptAt_idx" ON "Delivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Delivery_shop_status_idx" ON "Delivery"("shop", "status");

-- CreateIndex
CREATE INDEX "Delivery_paymentSessionId_idx" ON "Delivery"("paymentSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_sessionGid_operation_key" ON "Delivery"("sessionGid", "operation");

-- CreateIndex
CREATE INDEX "DeliveryAttempt_deliveryId_number_idx" ON "DeliveryAttempt"("deliveryId", "number");

-- CreateIndex
CREATE INDEX "PaymentSession_shop_group_idx" ON "PaymentSession"("shop", "group");

-- CreateIndex
CREATE INDEX "PaymentSession_status_providerCheckAt_idx" ON "PaymentSession"("status", "providerCheckAt");

