-- CreateEnum
CREATE TYPE "ProviderAccountMode" AS ENUM ('TEST', 'LIVE');

-- CreateEnum
CREATE TYPE "ProviderKeyKind" AS ENUM ('SECRET', 'RESTRICTED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "StaffAction" ADD VALUE 'PROVIDER_ACCOUNT_CONNECT';
ALTER TYPE "StaffAction" ADD VALUE 'PROVIDER_ACCOUNT_DISCONNECT';

-- CreateTable
CREATE TABLE "ProviderAccount" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "mode" "ProviderAccountMode" NOT NULL,
    "externalAccountId" TEXT NOT NULL,
    "apiKeyEncrypted" TEXT NOT NULL,
    "apiKeyLast4" TEXT NOT NULL,
    "keyKind" "ProviderKeyKind" NOT NULL,
    "webhookEndpointId" TEXT,
    "webhookSecretEncrypted" TEXT,
    "verifiedAt" TIMESTAMPTZ(3) NOT NULL,
    "connectedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "removalRequestedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ProviderAccount_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProviderAccount_removalRequestedAt_idx" ON "ProviderAccount"("removalRequestedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ProviderAccount_shop_provider_mode_key" ON "ProviderAccount"("shop", "provider", "mode");

-- AddForeignKey
ALTER TABLE "ProviderAccount" ADD CONSTRAINT "ProviderAccount_shop_fkey" FOREIGN KEY ("shop") REFERENCES "Shop"("domain") ON DELETE CASCADE ON UPDATE CASCADE;

