import type { Database } from '@/platform/db';
import type { StaffMember } from '@/platform/directory';
import { AppError, isDuplicateKeyError } from '@/platform/errors';
import { insertOnce } from '@/platform/keyed';

export type { StaffMember } from '@/platform/directory';

type StaffDoc = Omit<StaffMember, 'id'> & { _id: string };

const toStaff = ({ _id, ...rest }: StaffDoc): StaffMember => ({ id: _id, ...rest });

export function createStaffRepository(db: Database) {
  const staff = () => db.collection<StaffDoc>('staff');
  // `<member>|<granter>`: the granter requested or approved this member's account or a role of theirs.
  const grantors = () => db.collection<{ _id: string; at: Date }>('staff_grantors');
  return {
    /** Remembers who gave a member their access; each pair is one insert, so none is lost to a race. */
    async recordGrantors(memberId: string, granterIds: string[], at: Date): Promise<void> {
      for (const granter of new Set(granterIds)) {
        await insertOnce(grantors(), { _id: `${memberId}|${granter}`, at });
      }
    },
    /**
     * Maker-checker across accounts: a checker whom a maker created or promoted is the maker's
     * creature, not a second person, and may not decide on the maker's work.
     */
    async requireIndependent(checkerId: string, makerIds: string[]): Promise<void> {
      for (const maker of new Set(makerIds)) {
        if (await grantors().findOne({ _id: `${checkerId}|${maker}` })) throw new AppError('REVIEW_CONFLICT_OF_INTEREST');
      }
    },
    async findByUsername(username: string): Promise<StaffMember | null> {
      const d = await staff().findOne({ username });
      return d ? toStaff(d) : null;
    },
    async findById(id: string): Promise<StaffMember | null> {
      const d = await staff().findOne({ _id: id });
      return d ? toStaff(d) : null;
    },
    async findByIds(ids: string[]): Promise<StaffMember[]> {
      if (ids.length === 0) return [];
      return (
        await staff()
          .find({ _id: { $in: [...new Set(ids)] } })
          .toArray()
      ).map(toStaff);
    },
    async listInOrgUnits(orgUnitIds: string[]): Promise<StaffMember[]> {
      const docs = await staff()
        .find({ orgUnitId: { $in: orgUnitIds } })
        .sort({ username: 1 })
        .toArray();
      return docs.map(toStaff);
    },
    /** Creates the account, or leaves an existing one with that id untouched. */
    async createIfMissing(member: StaffMember): Promise<void> {
      const { id, ...rest } = member;
      // A concurrent creator may win the insert; either way the account then exists unchanged.
      await staff()
        .updateOne({ _id: id }, { $setOnInsert: rest }, { upsert: true })
        .catch((err) => {
          if ((err as { code?: number }).code !== 11000) throw err;
        });
    },
    async update(id: string, changes: Partial<Pick<StaffMember, 'role' | 'orgUnitId' | 'disabled'>>): Promise<StaffMember | null> {
      await staff().updateOne({ _id: id }, { $set: changes });
      const d = await staff().findOne({ _id: id });
      return d ? toStaff(d) : null;
    },
    /**
     * Creates a new account; false if the username is taken (the unique index decides). The
     * same account created again (a retried approval) is not a clash.
     */
    async create(member: StaffMember): Promise<boolean> {
      const { id, ...rest } = member;
      try {
        await staff().insertOne({ _id: id, ...rest });
        return true;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        return (await staff().findOne({ _id: id }))?.username === member.username;
      }
    },
    async ensureIndexes() {
      await staff().createIndex({ username: 1 }, { unique: true });
      await staff().createIndex({ orgUnitId: 1 });
    },
  };
}

export type StaffRepository = ReturnType<typeof createStaffRepository>;
