import { activityTypeNamesZh, taskKindNamesZh } from '@shared/activity-types';
import { qualifyingActionNamesZh, rewardKindNamesZh, serviceActivityCategoryNamesZh, taskFrequencyNamesZh } from '@shared/contracts/activities';
import { conversionKindNamesZh } from '@shared/contracts/conversions';
import { prizeKindNamesZh } from '@shared/contracts/draws';
import { serviceTargetKindNamesZh } from '@shared/contracts/life';
import { channelKindNamesZh } from '@shared/contracts/livestreams';
import { catalogueTypeNamesZh } from '@shared/contracts/mall';
import { rmTaskTypeNamesZh } from '@shared/contracts/marketing-tasks';
import { libraryContentTypeNamesZh } from '@shared/content-types';
import { questionFormatNamesZh } from '@shared/contracts/quiz-bank';
import { fundsCapacityNamesZh, targetingModeNamesZh } from '@shared/contracts/targeting';
import { periodKindNamesZh, programmeMetricNamesZh } from '@shared/contracts/programme';
import { trackEventNamesZh } from '@shared/contracts/tracking';
import { conditionOpNamesZh, eventSourceNamesZh, triggerActionNamesZh } from '@shared/contracts/triggers';
import { serviceCategoryNamesZh } from '@shared/life-rules';

export { FIELD_LABELS, labelOf, pathLabel } from '@shared/field-labels';

/**
 * The name tables (shared/) a field's choices may come from, by field key. A key used by several
 * enums (`kind` of a reward, a prize, a service's target…) lists each; the one naming every value
 * offered is used, so 积分 and 谢谢参与 come from the prize table on a prize.
 */
const ENUM_NAMES: Record<string, readonly Record<string, string>[]> = {
  type: [activityTypeNamesZh, catalogueTypeNamesZh, rmTaskTypeNamesZh, libraryContentTypeNamesZh],
  kind: [rewardKindNamesZh, prizeKindNamesZh, serviceTargetKindNamesZh, channelKindNamesZh, triggerActionNamesZh, periodKindNamesZh],
  metric: [programmeMetricNamesZh],
  mode: [targetingModeNamesZh],
  qualifyingAction: [qualifyingActionNamesZh],
  task: [taskKindNamesZh],
  frequency: [taskFrequencyNamesZh],
  category: [serviceActivityCategoryNamesZh, serviceCategoryNamesZh],
  format: [questionFormatNamesZh],
  op: [conditionOpNamesZh],
  source: [eventSourceNamesZh],
  name: [trackEventNamesZh, conversionKindNamesZh],
  funds: [fundsCapacityNamesZh],
};

/** The Chinese names of a field's choices; a value with no name (V1, R2) shows as it is. */
export function enumNames(key: string, values: readonly unknown[]): (value: unknown) => string {
  const table = ENUM_NAMES[key]?.find((t) => values.every((v) => String(v) in t));
  return (value) => table?.[String(value)] ?? String(value);
}

/** The unit a number field is counted in, shown inside the box. */
export const FIELD_UNITS: Record<string, string> = {
  amount: '积分',
  points: '积分',
  maxPoints: '积分',
  costPoints: '积分',
  pricePoints: '积分',
  valueYuan: '元',
  cashYuan: '元',
  faceValueYuan: '元',
  controlGroupPercent: '%',
  validDays: '天',
  claimDays: '天',
  everyDays: '天',
  validHours: '小时',
  timeLimitSeconds: '秒',
  leadMinutes: '分钟',
  goal: '位',
  windowMinutes: '分钟',
  windowDays: '天',
  withinDays: '天',
  slaHours: '小时',
  times: '次',
  months: '个月',
  helpersNeeded: '人',
  maxInvitesPerCustomer: '人',
  maxRewards: '份',
  quantity: '份',
  dailyCap: '份',
  perCustomerCap: '份',
  initialStock: '件',
  stock: '张',
  perCustomerLimit: '张',
  passScore: '题',
  afterLosses: '次',
  chances: '次',
};

/**
 * What a field is for, as the person filling it needs to know, with an example; shown under it.
 * By field key, or by `parent.key` where a key means something else in one place.
 */
const FIELD_HELP: Record<string, string> = {
  code: '本行自定义编码，全局唯一，创建后不可修改；如 WINTER-QUIZ-2026',
  'period.key': '北京时间；月度如 2026-12，季度如 2026-Q4',
  metric: '按周期内去重客户数计，与经营看板同一口径',
  allocations: '总行分给各分行，分行分给下级机构或本机构客户经理；分行的分解合计不得低于总行下达给本机构的数',
  unitId: '本机构的下级机构；与「客户经理」二选一',
  rmId: '本机构或下级机构的客户经理；与「机构」二选一',
  'allocations.value': '分给该机构或客户经理的目标数（人）',
  orgUnitId: '归属机构：决定哪些机构可见、可管理；只能选本机构或下级机构',
  title: '客户看到的标题；如 冬季反诈知识答题',
  description: '客户看到的简介',
  rules: '活动开始前向客户公示的规则全文；邀请、助力活动须写明所需好友人数，抽奖须列明全部奖品',
  banner: '活动页顶部横幅，建议 750×300 像素',
  cover: '列表与详情中显示的封面，建议 4:3',
  icon: '图标，建议正方形',
  logo: '合作方标志，建议正方形',
  gallery: '详情页轮播的图片，逐张添加并上传；最多 9 张',
  startAt: '北京时间',
  endAt: '北京时间，须晚于开始时间',
  controlGroupPercent: '随机留出不参与活动的客户比例，用于对比效果；0 表示不设对照组',
  priority: '数值越大越靠前展示；0–100，默认 50',
  'reward.kind': '客户参与后一次性发放',
  'budget.maxRewards': '最多发出的奖励份数，发完即止',
  'budget.maxPoints': '最多发出的积分总数，不填则不限',
  drawCode: '本次机会可用于的抽奖活动，输入标题或编码搜索；不填则用于本活动',
  'settings.questions': '直接在活动中填写题目；与「题库」二选一',
  'settings.bank': '每次答题从题库随机抽题；与「题目」二选一',
  answerIndex: '第一个选项填 0，第二个填 1，依此类推',
  codes: '从已上线题目的题库中选择，可多选；每次答题从中随机抽题',
  'bank.count': '每次答题抽取的题数',
  passScore: '答对多少题算通过；不能超过每次的题数',
  safety: '开启后，每次交卷都公布正确答案与解析（反诈教育类活动建议开启）',
  prizes: '最多 8 个奖品，含 1 个「谢谢参与」兜底奖品；中奖概率 = 该奖品权重 ÷ 全部权重之和',
  'prizes.code': '奖品编码，在本抽奖内唯一；如 P-88',
  'prizes.name': '九宫格与规则中展示的名称，须写进活动规则；如 88 积分',
  weight: '相对中奖机会，权重越大越容易抽中；概率见本项标题',
  'prizes.quantity': '奖品总数，抽完后该奖品的权重转给兜底奖品；兜底奖品不填',
  'prizes.points': '积分奖品每份的积分数；其他奖品不填',
  'prizes.validDays': '优惠券自中奖起的有效天数；其他奖品不填',
  'prizes.itemCode': '商城好礼对应的商品，输入标题或编码搜索；其他奖品不填',
  valueYuan: '单个奖品的市场价值，不超过 50000 元；谢谢参与填 0',
  dailyCap: '每天（北京时间）最多抽出的份数，不填则不限',
  perCustomerCap: '同一客户最多抽中的份数，不填则不限',
  fallbackCode: '从上方奖品中选择「谢谢参与」：没抽中或奖品抽完时给出',
  afterLosses: '连续这么多次未中奖后，下一次必中一个仍有库存的奖品',
  costPoints: '客户用积分购买一次抽奖机会的价格；0 表示不能购买',
  quotas: '每位客户可抽奖的次数，不填则不限',
  claimDays: '中奖后填写收货地址的期限',
  everyDays: '连续签到每满这么多天送一次',
  helpersNeeded: '完成一次助力需要的好友人数',
  validHours: '自客户发起助力起计算',
  newCustomersOnly: '开启后只有助力开始后注册的新客户可以助力',
  onePerHelperPerDay: '开启后每位好友每天只能为本活动助力一次',
  qualifyingAction: '被邀请的好友完成此动作后，邀请人获得奖励（开户由银行回传）',
  maxInvitesPerCustomer: '每位邀请人最多获得奖励的好友人数',
  welcomeReward: '被邀请的好友达标后获得',
  itemCodes: '参加促销的商品，输入标题或编码搜索，可多选',
  roomId: '直播间编号',
  categoryCode: '商品所属分类，输入名称或编码搜索',
  cashYuan: '与积分一起展示的加价金额，在商城外支付；最多两位小数',
  initialStock: '首次审核通过时上架的数量；之后的增减走库存调整审批',
  allowedTiers: '不选则所有等级可兑换',
  'limits.perDay': '每位客户每天最多兑换件数',
  'limits.lifetime': '每位客户累计最多兑换件数',
  sortOrder: '数值越小越靠前',
  order: '同一分类内数值越小越靠前',
  pinned: '开启后同时展示在「生活」页顶部',
  hours: '北京时间，24 小时制，如 08:00 至 22:00；其余时间显示为暂停服务',
  open: '如 08:00',
  close: '如 22:00',
  appId: '本小程序已声明、可以打开的合作小程序',
  path: '页面路径；如 /pages/index/index',
  url: '以 https:// 开头、在本行业务域名白名单内的网址',
  eligibility: '只对符合标签条件的客户展示；不填则所有客户可见',
  host: '主播姓名或称谓',
  finderUserName: '视频号 ID，以 sph 开头',
  feedId: '直播开始后的直播 feedId（选填）',
  noticeId: '直播预告的 noticeId（选填）',
  templateId: '订阅消息模板编号',
  leadMinutes: '开播前多少分钟发送提醒',
  activityIds: '直播间关联的活动',
  itemIds: '直播间关联的商品',
  replayUrl: '直播结束后的回放网址，须在业务域名白名单内',
  'event.name': '触发规则的客户行为或银行业务事件',
  conditions: '事件字段须满足的条件，最多 5 条；不填则该事件都触发',
  field: '事件中要比较的内容，如 金额（元）、产品编码；银行事件的其他属性选「事件属性」后填写属性名',
  audience: '只对符合标签条件的客户生效；不填则所有客户',
  windowMinutes: '事件发生后多久内送达，超时不再送达',
  activityId: '推荐给客户的进行中活动',
  data: '订阅消息模板字段，如 thing1、time2',
  'merchant.id': '商户号，2–32 位字母、数字、_ 或 -；只有该商户能核销',
  terms: '领取前展示的使用规则',
  stock: '审批通过时生成的券码数量；之后只能增加',
  perCustomerLimit: '每位客户最多领取张数',
  validity: '领取后可在商户使用的时间',
  bank: '题目所属题库编码；如 FRAUD-BASIC',
  format: '单选题一个正确答案，多选题须选全，判断题选项为「正确」「错误」',
  options: '2–6 个选项',
  answer: '正确选项的序号，第一个选项为 0',
  explanation: '交卷后与结果一起展示',
  tags: '输入后回车添加',
  difficulty: '1（最易）到 5（最难）',
  summary: '正文前的一句话介绍（选填）',
  body: '客户看到的全文；话术与文章必填，海报可不填',
  image: '海报图片（海报必填），或文章的封面；话术不带图片',
  unitIds: '哪些机构（含其下级机构）的客户经理可以分享；不选则为所属机构',
  suggestion: '客户经理联系客户时的建议话术或产品，如 介绍本行三年期定期存款；须通过违禁词检查',
  'repeat.times': '同一客户发生多少次该事件才生成商机；如 浏览高价值商品 2 次',
  'repeat.withinDays': '在多少天内累计上述次数',
  windowDays: '同一规则对同一客户，在这么多天内最多生成一条商机',
  slaHours: '商机生成后须在这么多小时内跟进，超时升级到分行',
};

/** A field's help by its path in the document (numbers of list items left out). */
export function helpOf(name: readonly (string | number)[]): string | undefined {
  const keys = name.filter((p): p is string => typeof p === 'string');
  const key = keys[keys.length - 1];
  if (key === undefined) return undefined;
  return FIELD_HELP[`${keys[keys.length - 2]}.${key}`] ?? FIELD_HELP[key];
}
