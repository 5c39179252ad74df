// Kept free of zod, like errors.ts: the mini-program's address form checks the same rules the BFF does.

export const ADDRESS_RULES = {
  name: { min: 1, max: 20, message: '请填写收货人姓名（不超过 20 个字）' },
  phone: { pattern: /^1[3-9]\d{9}$/, message: '请输入 11 位中国大陆手机号' },
  region: { min: 2, max: 60, message: '请选择所在地区（省、市、区）' },
  detail: { min: 4, max: 120, message: '请填写详细地址（4 至 120 个字，如街道、门牌号）' },
} as const;

export type AddressField = keyof typeof ADDRESS_RULES;

/** The problem with one field of an address, as the BFF would report it, or null. */
export function addressProblem(field: AddressField, value: string): string | null {
  const rule = ADDRESS_RULES[field];
  if ('pattern' in rule) return rule.pattern.test(value) ? null : rule.message;
  const length = value.trim().length;
  return length >= rule.min && length <= rule.max ? null : rule.message;
}
