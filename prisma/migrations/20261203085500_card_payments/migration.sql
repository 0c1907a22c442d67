-- AlterTable
ALTER TABLE "PaymentSession" ADD COLUMN "cardBrand" TEXT;
ALTER TABLE "PaymentSession" ADD COLUMN "cardChargeClaimedAt" DATETIME;
ALTER TABLE "PaymentSession" ADD COLUMN "cardExpiryMonth" INTEGER;
ALTER TABLE "PaymentSession" ADD COLUMN "cardExpiryYear" INTEGER;
ALTER TABLE "PaymentSession" ADD COLUMN "cardInitials" TEXT;
ALTER TABLE "PaymentSession" ADD COLUMN "cardLast4" TEXT;
ALTER TABLE "PaymentSession" ADD COLUMN "confirmRequestedAt" DATETIME;
ALTER TABLE "PaymentSession" ADD COLUMN "confirmationResult" BOOLEAN;
ALTER TABLE "PaymentSession" ADD COLUMN "threeDSecureAuthentication" TEXT;
ALTER TABLE "PaymentSession" ADD COLUMN "threeDSecureRedirectUrl" TEXT;
