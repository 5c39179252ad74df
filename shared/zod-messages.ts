import type { z } from 'zod';
import { labelOf } from './field-labels';

// What a field's problem says to bank staff when its schema gave no message of its own: what to
// type, in Chinese, never zod's "期望 string，实际接收 undefined", a regular expression or a key.
// The BFF and the console both install it, so a form checked in the browser and a request
// refused by the BFF say the same thing.

/** The code pattern most documents share (`^[A-Za-z0-9_-]{1,64}$`), as zod prints it. */
const CODE_PATTERN = /^\/\^\[A-Za-z0-9_-\]\{\d+,(\d+)\}\$\/$/;

const TYPE_WANTED: Record<string, string> = {
  string: '请输入文字',
  number: '请输入数字',
  int: '请输入整数',
  boolean: '请选择是或否',
  array: '请填写列表',
  object: '请填写完整',
};

const FORMAT_WANTED: Record<string, string> = {
  datetime: '请选择日期和时间',
  date: '请选择日期',
  url: '请输入以 https:// 开头的网址',
  email: '请输入电子邮箱',
  uuid: '编号格式不正确',
};

const size = (origin: unknown, n: number | bigint) => (origin === 'string' ? `${n} 个字` : origin === 'array' ? `${n} 项` : String(n));

export function chineseIssueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type': {
      const wanted = TYPE_WANTED[issue.expected] ?? '请按说明填写';
      return issue.input === undefined || issue.input === null ? `必填，${wanted}` : wanted;
    }
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) <= 1) return '必填';
      if (issue.origin === 'number' || issue.origin === 'int') return issue.inclusive ? `不能小于 ${issue.minimum}` : `须大于 ${issue.minimum}`;
      return `至少 ${size(issue.origin, issue.minimum)}`;
    case 'too_big':
      if (issue.origin === 'number' || issue.origin === 'int') return issue.inclusive ? `不能大于 ${issue.maximum}` : `须小于 ${issue.maximum}`;
      return `最多 ${size(issue.origin, issue.maximum)}`;
    case 'invalid_format': {
      const code = issue.format === 'regex' && issue.pattern ? CODE_PATTERN.exec(issue.pattern) : null;
      if (code) return `只能包含字母、数字、下划线（_）和横线（-），最多 ${code[1]} 位`;
      return FORMAT_WANTED[issue.format] ?? '格式不正确，请按说明填写';
    }
    case 'not_multiple_of':
      return Number(issue.divisor) === 0.01 ? '最多保留两位小数' : `须为 ${issue.divisor} 的倍数`;
    case 'invalid_value':
    case 'invalid_union':
      return '请从选项中选择';
    case 'unrecognized_keys':
      return `不能填写：${issue.keys.map(labelOf).join('、')}`;
    case 'invalid_key':
    case 'invalid_element':
      return '内容不正确，请按说明填写';
    default:
      return undefined;
  }
}
