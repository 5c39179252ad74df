// What the audit trail (操作留痕) records, in the words its readers use. An action is
// `<subject>.<verb>` (`activity.approved`, `points_adjustment.requested`); its target is a type
// and an id. Free of zod: plain tables, like errors.ts.

/** What an action or a target is about. */
export const auditSubjectNamesZh: Record<string, string> = {
  activity: '活动',
  mall_item: '商品',
  quiz_question: '题目',
  life_service: '生活服务',
  livestream: '直播',
  trigger: '事件营销规则',
  cobrand_coupon: '联名优惠券',
  rm_task: '营销任务',
  library_content: '内容库',
  programme_target: '经营目标',
  points_adjustment: '积分调整',
  mall_stock_adjustment: '库存调整',
  rm_handover: '离职继承',
  referral_hold: '风控待审奖励',
  staff_grant: '员工账号与权限',
  staff: '员工账号',
  mall: '商城',
  mall_order: '商城订单',
  mall_orders: '商城订单',
  mall_codes: '商城券码',
  customer: '客户资料',
  customer_tags: '客户标签',
  draw: '抽奖',
  draw_result: '中奖记录',
  delivery: '事件投递',
  delivery_sink: '投递通道',
  job: '后台任务',
  job_item: '后台任务条目',
  media: '图片',
};

/** What was done. */
export const auditVerbNamesZh: Record<string, string> = {
  created: '新建',
  edited: '修改',
  updated: '修改',
  submitted: '提交审核',
  approved: '审核通过',
  rejected: '驳回',
  withdrawn: '下线',
  requested: '申请',
  shipped: '发货',
  cancelled: '取消',
  recovered: '恢复处理',
  uploaded: '上传',
  marked: '标记',
  item_released: '解除搁置',
  prize_shipped: '奖品发货',
  codes_uploaded: '上传券码',
  replayed: '重新投递',
  viewed: '查看',
  view_refused: '查看被拒（超出管辖范围）',
};

/** An action as 活动 · 审核通过; one not named here shows as it is recorded, so nothing is hidden. */
export function auditActionNameZh(action: string): string {
  const dot = action.lastIndexOf('.');
  const subject = auditSubjectNamesZh[action.slice(0, dot)];
  const verb = auditVerbNamesZh[action.slice(dot + 1)];
  return dot > 0 && subject && verb ? `${subject} · ${verb}` : action;
}
