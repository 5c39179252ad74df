import type { Principal } from '../src/platform/auth/principal';
import type { ReviewedContent } from '../src/kernel/review/repository';
import type { ReviewWorkflow } from '../src/kernel/review/workflow';

const DEMO_MAKER: Principal = { id: 'staff-admin-hq', role: 'admin', orgUnitId: 'org-hq' };
const DEMO_CHECKER: Principal = { id: 'staff-reviewer-hq', role: 'reviewer', orgUnitId: 'org-hq' };

/**
 * Uploads demo content of one reviewed kind and has a second person approve each piece, as in
 * production; the same upload every start, so running it again changes nothing. Returns the
 * pieces it is about (codes starting with one of `prefixes`), as listed after approval.
 */
export async function publishDemo<C extends ReviewedContent, X extends object>(workflow: ReviewWorkflow<C, X>, items: unknown[], prefixes: string[]) {
  await workflow.bulkUpload(DEMO_MAKER, items);
  const ours = (await workflow.listPage(DEMO_MAKER, { page: 1, pageSize: 5000 })).items.filter((d) => prefixes.some((p) => d.code.startsWith(p)));
  for (const d of ours) {
    if (d.workingState === 'draft') await workflow.submit(DEMO_MAKER, d.id);
    if (d.workingState === 'draft' || d.workingState === 'pending_review') await workflow.approve(DEMO_CHECKER, d.id, '演示数据');
  }
  return ours;
}
