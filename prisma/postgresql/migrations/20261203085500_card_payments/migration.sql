-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "DeliveryOperation" ADD VALUE 'PAYMENT_REDIRECT';
ALTER TYPE "DeliveryOperation" ADD VALUE 'PAYMENT_CONFIRM';

-- AlterTable
ALTER TABLE "PaymentSession" ADD COLUMN     "cardBrand" TEXT,
ADD COLUMN     "cardChargeClaimedAt" TIMESTAMPTZ(3),
ADD COLUMN     "cardExpiryMonth" INTEGER,
ADD COLUMN     "cardExpiryYear" INTEGER,
ADD COLUMN     "cardInitials" TEXT,
ADD COLUMN     "cardLast4" TEXT,
ADD COLUMN     "confirmRequestedAt" TIMESTAMPTZ(3),
ADD COLUMN     "confirmationResult" BOOLEAN,
ADD COLUMN     "threeDSecureAuthentication" TEXT,
ADD COLUMN     "threeDSecureRedirectUrl" TEXT;

