import mongoose, { type Connection } from 'mongoose';
import { groupInserts } from './group-commit';

export type Database = Connection;

/**
 * The shape of what is stored. Nothing has shipped, so no code reads data in an older shape:
 * bump this when stored data changes shape, and `npm start` wipes and reseeds its development
 * database (scripts/lib/dev-data.ts) instead of the code carrying branches for the old one.
 */
export const SCHEMA_VERSION = 6;

/** Text to match literally inside a `$regex` (a search box's input, an id used as a prefix). */
export const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Opens a dedicated connection (not mongoose's global one), so several apps can share one process in tests.
 *
 * Mongoose is the driver's connection here and nothing more: every repository uses raw
 * collections (`db.collection(name)`), no models or schemas. The storage primitives (stream.ts,
 * keyed.ts) must control each write exactly (unique-key inserts are the only atomic step on
 * FerretDB, see database.md), a model's defaults, casting and version keys would sit between
 * them and the database, and one way of reading and writing is easier to reason about than two.
 */
export async function connectDatabase(uri: string, options: { dbName?: string; poolSize?: number } = {}): Promise<Database> {
  const conn = mongoose.createConnection(uri, {
    dbName: options.dbName,
    serverSelectionTimeoutMS: 5000,
    maxPoolSize: options.poolSize ?? 100,
    // FerretDB 1.24 has no retryable writes or sessions; MongoDB keeps its own defaults.
    retryWrites: false,
    autoIndex: false,
    autoCreate: false,
    monitorCommands: process.env.MONITOR_DB_COMMANDS === '1',
  });
  await conn.asPromise();
  // Concurrent requests' inserts into one collection go together under load (see group-commit).
  groupInserts(conn);
  return conn;
}

export async function pingDatabase(db: Database, timeoutMs = 1500): Promise<boolean> {
  if (db.readyState !== 1 || !db.db) return false;
  try {
    const ping = db.db.command({ ping: 1 });
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('ping timeout')), timeoutMs).unref());
    await Promise.race([ping, timeout]);
    return true;
  } catch {
    return false;
  }
}
