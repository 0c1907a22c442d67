-- CreateEnum
CREATE TYPE "PaymentKind" AS ENUM ('SALE', 'AUTHORIZATION');

-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('OPEN', 'PENDING', 'RESOLVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "FollowUpStatus" AS ENUM ('RECEIVED', 'RESOLVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "FollowUpRejectionCode" AS ENUM ('PROCESSING_ERROR', 'AUTHORIZATION_EXPIRED');

-- CreateEnum
CREATE TYPE "RuleViolation" AS ENUM ('PAYMENT_NOT_RESOLVED', 'NOT_AN_AUTHORIZATION', 'CURRENCY_MISMATCH', 'TEST_MODE_MISMATCH', 'AMOUNT_EXCEEDS_REMAINING', 'AUTHORIZATION_EXPIRED', 'AUTHORIZATION_VOIDED', 'ALREADY_CAPTURED');

-- CreateEnum
CREATE TYPE "AddressRole" AS ENUM ('BILLING', 'SHIPPING');

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMPTZ(3),
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
    "refreshTokenExpires" TIMESTAMPTZ(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "domain" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("domain")
);

-- CreateTable
CREATE TABLE "PaymentSession" (
    "id" TEXT NOT NULL,
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
    "kind" "PaymentKind" NOT NULL,
    "paymentMethodType" TEXT NOT NULL,
    "cancelUrl" TEXT NOT NULL,
    "proposedAt" TIMESTAMPTZ(3) NOT NULL,
    "customerEmail" TEXT,
    "customerPhoneNumber" TEXT,
    "customerLocale" TEXT,
    "shopifyApiVersion" TEXT NOT NULL,
    "shopifyRequestId" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" "PaymentStatus" NOT NULL DEFAULT 'OPEN',
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "pendingAt" TIMESTAMPTZ(3),
    "resolvedAt" TIMESTAMPTZ(3),
    "rejectedAt" TIMESTAMPTZ(3),
    "pendingExpiresAt" TIMESTAMPTZ(3),
    "authorizationExpiresAt" TIMESTAMPTZ(3),
    "rejectionCode" TEXT,
    "rejectionMessage" TEXT,
    "ledgerVersion" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PaymentSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PaymentAddress" (
    "paymentSessionId" TEXT NOT NULL,
    "role" "AddressRole" NOT NULL,
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

    CONSTRAINT "PaymentAddress_pkey" PRIMARY KEY ("paymentSessionId","role")
);

-- CreateTable
CREATE TABLE "RefundSession" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "gid" TEXT NOT NULL,
    "paymentSessionId" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "amount" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL,
    "merchantLocale" TEXT NOT NULL,
    "proposedAt" TIMESTAMPTZ(3) NOT NULL,
    "shopifyApiVersion" TEXT NOT NULL,
    "shopifyRequestId" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" "FollowUpStatus" NOT NULL DEFAULT 'RECEIVED',
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMPTZ(3),
    "rejectedAt" TIMESTAMPTZ(3),
    "rejectionCode" "FollowUpRejectionCode",
    "rejectionMessage" TEXT,
    "ruleViolation" "RuleViolation",
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RefundSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaptureSession" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "gid" TEXT NOT NULL,
    "paymentSessionId" TEXT NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "amount" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL,
    "merchantLocale" TEXT NOT NULL,
    "proposedAt" TIMESTAMPTZ(3) NOT NULL,
    "shopifyApiVersion" TEXT NOT NULL,
    "shopifyRequestId" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" "FollowUpStatus" NOT NULL DEFAULT 'RECEIVED',
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMPTZ(3),
    "rejectedAt" TIMESTAMPTZ(3),
    "rejectionCode" "FollowUpRejectionCode",
    "rejectionMessage" TEXT,
    "ruleViolation" "RuleViolation",
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "CaptureSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VoidSession" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "gid" TEXT NOT NULL,
    "paymentSessionId" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL,
    "merchantLocale" TEXT NOT NULL,
    "proposedAt" TIMESTAMPTZ(3) NOT NULL,
    "shopifyApiVersion" TEXT NOT NULL,
    "shopifyRequestId" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "status" "FollowUpStatus" NOT NULL DEFAULT 'RECEIVED',
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMPTZ(3),
    "rejectedAt" TIMESTAMPTZ(3),
    "rejectionCode" "FollowUpRejectionCode",
    "rejectionMessage" TEXT,
    "ruleViolation" "RuleViolation",
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "VoidSession_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "PaymentSession" ADD CONSTRAINT "PaymentSession_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PaymentAddress" ADD CONSTRAINT "PaymentAddress_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RefundSession" ADD CONSTRAINT "RefundSession_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RefundSession" ADD CONSTRAINT "RefundSession_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaptureSession" ADD CONSTRAINT "CaptureSession_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaptureSession" ADD CONSTRAINT "CaptureSession_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VoidSession" ADD CONSTRAINT "VoidSession_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VoidSession" ADD CONSTRAINT "VoidSession_paymentSessionId_fkey" FOREIGN KEY ("paymentSessionId") REFERENCES "PaymentSession"("id") ON DELETE CASCADE ON UPDATE CASCADE;

