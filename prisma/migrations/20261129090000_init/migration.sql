-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" DATETIME,
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" DATETIME
);

-- CreateTable
CREATE TABLE "Shop" (
    "domain" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "PaymentSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "gid" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "sessionId" TEXT,
    "amountMinor" BIGINT NOT NULL,
    "amount" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL,
    "merchantLocale" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "paymentMethodType" TEXT NOT NULL,
    "cancelUrl" TEXT NOT NULL,
    "proposedAt" DATETIME NOT NULL,
    "customerEmail" TEXT,
    "customerPhoneNumber" TEXT,
    "customerLocale" TEXT,
    "shopifyApiVersion" TEXT NOT NULL,
    "shopifyRequestId" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'OPEN',
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "pendingAt" DATETIME,
    "resolvedAt" DATETIME,
    "rejectedAt" DATETIME,
    "pendingExpiresAt" DATETIME,
    "authorizationExpiresAt" DATETIME,
    "rejectionCode" TEXT,
    "rejectionMessage" TEXT,
    "ledgerVersion" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "PaymentSession_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop" ("domain") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PaymentAddress" (
    "paymentSessionId" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "givenName" TEXT,
    "familyName" TEXT NOT NULL,
    "line1" TEXT NOT NULL,
    "line2" TEXT,
    "city" TEXT NOT NULL,
    "postalCode" TEXT,
    "province" TEXT,
    "provinceCode" TEXT,
    "countryCode" TEXT NOT NULL,
    "phoneNumber" TEXT,
    "company" TEXT,

    PRIMARY KEY ("paymentSessionId", "role"),
    CONSTRAINT "PaymentAddress_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RefundSession" (
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
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RefundSession_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop" ("domain") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RefundSession_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CaptureSession" (
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
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CaptureSession_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop" ("domain") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CaptureSession_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "VoidSession" (
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
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "VoidSession_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop" ("domain") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "VoidSession_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE INDEX "PaymentSession_shop_receivedAt_idx" ON "PaymentSession"("shop", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PaymentSession_shop_shopifyId_key" ON "PaymentSession"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "RefundSession_paymentSessionId_idx" ON "RefundSession"("paymentSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "RefundSession_shop_shopifyId_key" ON "RefundSession"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "CaptureSession_paymentSessionId_idx" ON "CaptureSession"("paymentSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "CaptureSession_shop_shopifyId_key" ON "CaptureSession"("shop", "shopifyId");

-- CreateIndex
CREATE INDEX "VoidSession_paymentSessionId_idx" ON "VoidSession"("paymentSessionId");

-- CreateIndex
CREATE UNIQUE INDEX "VoidSession_shop_shopifyId_key" ON "VoidSession"("shop", "shopifyId");

