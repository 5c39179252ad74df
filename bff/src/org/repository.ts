import { Schema, type Model } from 'mongoose';
import type { Collection } from 'mongodb';
import type { Database } from '../platform/db';
import { replaceById } from '../platform/upsert';

export type OrgLevel = 'head' | 'branch' | 'sub-branch';
/** A unit of the bank (总行 / 分行 / 支行); `path` lists its ancestors and itself, root first. */
export type OrgUnit = { id: string; name: string; level: OrgLevel; parentId: string | null; path: string[] };

type OrgUnitDoc = { _id: string; name: string; level: OrgLevel; parentId: string | null; path: string[] };

const schema = new Schema<OrgUnitDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    level: { type: String, enum: ['head', 'branch', 'sub-branch'], required: true },
    parentId: { type: String, default: null },
    path: { type: [String], required: true },
  },
  { versionKey: false, collection: 'org_units' },
);

const toOrgUnit = (d: OrgUnitDoc): OrgUnit => ({ id: d._id, name: d.name, level: d.level, parentId: d.parentId, path: d.path });

export function createOrgRepository(db: Database) {
  const OrgUnits: Model<OrgUnitDoc> = db.models.OrgUnit ?? db.model<OrgUnitDoc>('OrgUnit', schema);
  return {
    async upsert(unit: { id: string; name: string; level: OrgLevel; parentId: string | null }): Promise<OrgUnit> {
      const parent = unit.parentId ? await OrgUnits.findById(unit.parentId).lean() : null;
      const path = [...(parent?.path ?? []), unit.id];
      await replaceById(OrgUnits.collection as unknown as Collection<OrgUnitDoc>, unit.id, { name: unit.name, level: unit.level, parentId: unit.parentId, path });
      return { ...unit, path };
    },
    async findById(id: string): Promise<OrgUnit | null> {
      const d = await OrgUnits.findById(id).lean();
      return d ? toOrgUnit(d) : null;
    },
    /** The unit and every unit below it: what a member of staff there may see. */
    async subtreeIds(id: string): Promise<string[]> {
      const docs = await OrgUnits.find({ path: id }, { _id: 1 }).lean();
      return docs.map((d) => d._id);
    },
    async ensureIndexes() {
      await OrgUnits.createCollection().catch(() => undefined);
      await OrgUnits.collection.createIndex({ path: 1 });
    },
  };
}

export type OrgRepository = ReturnType<typeof createOrgRepository>;
