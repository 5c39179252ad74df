/** The demo bank's org tree: head office and two branches. */
export const DEMO_ORG_UNITS = [
  { id: 'org-hq', name: '示例银行总行', level: 'head', parentId: null },
  { id: 'org-sh', name: '示例银行上海分行', level: 'branch', parentId: 'org-hq' },
  { id: 'org-gz', name: '示例银行广州分行', level: 'branch', parentId: 'org-hq' },
] as const;

/** Demo logins printed by `npm start`. Never seeded in production. */
export const DEMO_PASSWORD = 'Demo@2026';
export const DEMO_STAFF = [
  { id: 'staff-admin-hq', username: 'admin', role: 'admin', orgUnitId: 'org-hq', name: '王管理', phone: '13800000001' },
  // A second head-office admin: giving anyone access (a new account, a role) takes two.
  { id: 'staff-admin2-hq', username: 'admin2', role: 'admin', orgUnitId: 'org-hq', name: '赵复核', phone: '13800000004' },
  { id: 'staff-reviewer-hq', username: 'reviewer', role: 'reviewer', orgUnitId: 'org-hq', name: '李审核', phone: '13800000002' },
  { id: 'staff-rm-sh', username: 'rm', role: 'rm', orgUnitId: 'org-sh', name: '陈经理', phone: '13800000003' },
  // A branch admin: sees and runs the Shanghai branch's subtree only.
  { id: 'staff-admin-sh', username: 'admin-sh', role: 'admin', orgUnitId: 'org-sh', name: '孙分行', phone: '13800000005' },
] as const;
export const DEMO_CUSTOMERS = [
  {
    id: 'cust-demo-1',
    customerNo: 'C000000000001',
    openid: 'o_demo_customer_01',
    name: '张三',
    phone: '13812345678',
    idNumber: '310101199001011234',
    orgUnitId: 'org-sh',
    nickname: '小张',
  },
  {
    id: 'cust-demo-2',
    customerNo: 'C000000000002',
    openid: 'o_demo_customer_02',
    name: '李小梅',
    phone: '13998765432',
    idNumber: '440101198505052345',
    orgUnitId: 'org-gz',
    nickname: '梅子',
  },
] as const;
