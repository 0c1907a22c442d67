import type { Delivery, DeliveryOperation } from "@prisma/client";
import type { Db } from "../db.server";
import {
  DELIVERY_OPERATIONS,
  prepareMutation,
  SESSION_COLUMN,
  type PreparedMutation,
  type SessionKind,
  type SessionRows,
} from "../payments/rules/delivery-operations";

/**
 * A delivery's mutation with its variables (payments/rules/delivery-operations.ts builds
 * them from the session's stored outcome, the same on every attempt).
 */
export type PrepareFor = (delivery: Delivery, apiVersion: string) => PreparedMutation;

type Sessions = { [S in SessionKind]: Map<string, SessionRows[S]> };

/**
 * Loads the sessions a batch of deliveries reports on, with one query per
 * session kind (not one per delivery), and returns how to prepare each one's mutation.
 */
export async function loadDeliveryVariables(db: Db, deliveries: readonly Delivery[]): Promise<PrepareFor> {
  const ids = (kind: SessionKind) => [...new Set(deliveries.flatMap((d) => d[SESSION_COLUMN[kind]] ?? []))];
  const [payment, refund, capture, voided] = await Promise.all([
    findAll(ids("payment"), (in_) => db.paymentSession.findMany({ where: { id: { in: in_ } } })),
    findAll(ids("refund"), (in_) => db.refundSession.findMany({ where: { id: { in: in_ } } })),
    findAll(ids("capture"), (in_) => db.captureSession.findMany({ where: { id: { in: in_ } } })),
    findAll(ids("void"), (in_) => db.voidSession.findMany({ where: { id: { in: in_ } } })),
  ]);
  const sessions: Sessions = { payment, refund, capture, void: voided };
  return (delivery, apiVersion) => prepare(delivery, delivery.operation, apiVersion, sessions);
}

async function findAll<Row extends { id: string }>(ids: string[], find: (ids: string[]) => Promise<Row[]>): Promise<Map<string, Row>> {
  if (ids.length === 0) return new Map();
  return new Map((await find(ids)).map((row) => [row.id, row]));
}

function prepare<K extends DeliveryOperation>(delivery: Delivery, operation: K, apiVersion: string, sessions: Sessions): PreparedMutation {
  const kind = DELIVERY_OPERATIONS[operation].session;
  const id = delivery[SESSION_COLUMN[kind]];
  const row = id ? sessions[kind].get(id) : undefined;
  if (!row) throw new Error(`delivery ${delivery.id} (${operation}) refers to a session that no longer exists`);
  return prepareMutation(operation, row, { gid: delivery.sessionGid, apiVersion });
}
