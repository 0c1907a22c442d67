-- DropIndex
DROP INDEX "PaymentSession_shop_gid_idx";

