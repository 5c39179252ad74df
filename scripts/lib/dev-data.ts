import { rmSync } from 'node:fs';
import { connectDatabase, SCHEMA_VERSION } from '../../bff/src/platform/db';

type SchemaDoc = { _id: 'schema'; version: number };

/**
 * Development data is seeded for one schema version (bff/src/platform/db.ts) and recorded with
 * it. A database seeded for another version, or holding data from before versions were
 * recorded, is wiped with the export files, so the demo seed starts again from nothing.
 */
export async function resetOnSchemaChange(uri: string, exportDir: string, log: (line: string) => void): Promise<void> {
  const db = await connectDatabase(uri, { poolSize: 2 });
  try {
    const meta = db.collection<SchemaDoc>('dev_meta');
    const seeded = (await meta.findOne({ _id: 'schema' }))?.version;
    if (seeded === SCHEMA_VERSION) return;
    if (seeded !== undefined || (await db.listCollections()).length > 0) {
      await db.dropDatabase();
      rmSync(exportDir, { recursive: true, force: true });
      log(`development data was seeded for schema version ${seeded ?? 'unknown'}, the code is at ${SCHEMA_VERSION}: wiped, reseeding`);
    }
    await meta.insertOne({ _id: 'schema', version: SCHEMA_VERSION });
  } finally {
    await db.close();
  }
}
