import type { Database } from '@/platform/db';
import type { OrgLevel, OrgUnit } from '@/platform/directory';
import { replaceById } from '@/platform/upsert';

export type { OrgLevel, OrgUnit } from '@/platform/directory';

type OrgUnitDoc = { _id: string; name: string; level: OrgLevel; parentId: string | null; path: string[] };

const toOrgUnit = (d: OrgUnitDoc): OrgUnit => ({ id: d._id, name: d.name, level: d.level, parentId: d.parentId, path: d.path });

export function createOrgRepository(db: Database) {
  const units = () => db.collection<OrgUnitDoc>('org_units');
  return {
    async upsert(unit: { id: string; name: string; level: OrgLevel; parentId: string | null }): Promise<OrgUnit> {
      const parent = unit.parentId ? await units().findOne({ _id: unit.parentId }) : null;
      const path = [...(parent?.path ?? []), unit.id];
      await replaceById(units(), unit.id, { name: unit.name, level: unit.level, parentId: unit.parentId, path });
      return { ...unit, path };
    },
    async findById(id: string): Promise<OrgUnit | null> {
      const d = await units().findOne({ _id: id });
      return d ? toOrgUnit(d) : null;
    },
    /** The unit and every unit below it: what a member of staff there may see. */
    async subtreeIds(id: string): Promise<string[]> {
      const docs = await units()
        .find({ path: id }, { projection: { _id: 1 } })
        .toArray();
      return docs.map((d) => d._id);
    },
    async subtree(id: string): Promise<OrgUnit[]> {
      return (await units().find({ path: id }).toArray()).map(toOrgUnit);
    },
    async findByIds(ids: string[]): Promise<OrgUnit[]> {
      if (ids.length === 0) return [];
      return (
        await units()
          .find({ _id: { $in: [...new Set(ids)] } })
          .toArray()
      ).map(toOrgUnit);
    },
    async ensureIndexes() {
      await units().createIndex({ path: 1 });
    },
  };
}

export type OrgRepository = ReturnType<typeof createOrgRepository>;
