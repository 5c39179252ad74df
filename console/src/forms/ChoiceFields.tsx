import { Button, Checkbox, Form, Input, Radio, Space, Typography } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { letteredOptions, TRUE_FALSE_TEXTS, type QuestionOption } from '@shared/contracts/quiz-bank';
import { optionLetter as letter } from './choices';

type Path = (string | number)[];
const MAX_OPTIONS = 6;

/** A new option's id: random, and none of the question's options has it (the answer names options by id). */
function newOptionId(options: readonly QuestionOption[]): string {
  for (;;) {
    const id = `o${Math.random().toString(36).slice(2, 8)}`;
    if (!options.some((o) => o.id === id)) return id;
  }
}

const isTrueFalse = (options: readonly QuestionOption[]) => options.length === 2 && options.every((o, i) => o.text === TRUE_FALSE_TEXTS[i]);

/** The right options as the editor reads them: their letters and texts. */
const rightOptionsText = (options: readonly QuestionOption[], answer: readonly string[]) =>
  options.flatMap((o, i) => (answer.includes(o.id) ? [`${letter(i)}. ${o.text}`] : [])).join('；') || '（未勾选）';

type EditorProps = {
  value?: QuestionOption[];
  onChange?: (options: QuestionOption[]) => void;
  answer: string[];
  onAnswer: (answer: string[]) => void;
  multiple: boolean;
  fixed: boolean;
};

/** The options in order, each with its tick; ids travel with the options, so moving or removing one never moves a tick. */
function OptionsEditor({ value, onChange, answer, onAnswer, multiple, fixed }: EditorProps) {
  const options = value ?? [];
  const set = (next: QuestionOption[]) => onChange?.(next);
  const move = (i: number, by: number) => {
    const next = [...options];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    set(next);
  };
  const remove = (i: number) => {
    const gone = options[i].id;
    set(options.filter((_, j) => j !== i));
    if (answer.includes(gone)) onAnswer(answer.filter((id) => id !== gone));
  };
  const tick = (id: string, on: boolean) => onAnswer(multiple ? (on ? [...answer, id] : answer.filter((a) => a !== id)) : [id]);

  // A true/false question has exactly 正确 and 错误; a single-choice question keeps one tick when it stops being multiple.
  useEffect(() => {
    if (fixed && !isTrueFalse(options)) {
      set(letteredOptions(TRUE_FALSE_TEXTS));
      onAnswer([]);
    } else if (!multiple && answer.length > 1) onAnswer(answer.slice(0, 1));
    // Only when the question's format changes: edits are already kept to the rules by the controls themselves.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fixed, multiple]);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {options.map((o, i) => {
        const right = answer.includes(o.id);
        const label = `${letter(i)}. ${o.text || '（未填写）'}`;
        const mark = multiple ? (
          <Checkbox checked={right} onChange={(e) => tick(o.id, e.target.checked)} aria-label={`正确答案：${label}`}>
            正确
          </Checkbox>
        ) : (
          <Radio checked={right} onChange={() => tick(o.id, true)} aria-label={`正确答案：${label}`}>
            正确
          </Radio>
        );
        return (
          <Space key={o.id} align="center" wrap>
            {mark}
            <Typography.Text strong>{letter(i)}.</Typography.Text>
            <Input
              aria-label={`选项 ${letter(i)}`}
              value={o.text}
              maxLength={100}
              readOnly={fixed}
              placeholder="选项内容"
              style={{ width: 360 }}
              onChange={(e) => set(options.map((x) => (x.id === o.id ? { ...x, text: e.target.value } : x)))}
            />
            {!fixed && (
              <>
                <Button size="small" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`上移选项 ${letter(i)}`}>
                  上移
                </Button>
                <Button size="small" disabled={i === options.length - 1} onClick={() => move(i, 1)} aria-label={`下移选项 ${letter(i)}`}>
                  下移
                </Button>
                <Button size="small" danger disabled={options.length <= 2} onClick={() => remove(i)} aria-label={`删除选项 ${letter(i)}`}>
                  删除
                </Button>
              </>
            )}
          </Space>
        );
      })}
      {!fixed && (
        <Button type="dashed" disabled={options.length >= MAX_OPTIONS} onClick={() => set([...options, { id: newOptionId(options), text: '' }])}>
          添加选项（最多 {MAX_OPTIONS} 个）
        </Button>
      )}
      <Typography.Text type="secondary" data-testid="right-answer">
        正确答案：{rightOptionsText(options, answer)}
      </Typography.Text>
    </Space>
  );
}

/** The answer field's control: the options under it, the answer as ids in the shape the schema has (one id, or a list). */
function AnswerControl({
  value,
  onChange,
  optionsName,
  listsAnswers,
  multiple,
  fixed,
}: {
  value?: string | string[];
  onChange?: (answer: string | string[] | undefined) => void;
  optionsName: Path;
  listsAnswers: boolean;
  multiple: boolean;
  fixed: boolean;
}) {
  const answer = value === undefined ? [] : [value].flat();
  const onAnswer = (next: string[]) => onChange?.(listsAnswers ? next : next[0]);
  return (
    <Form.Item name={optionsName} noStyle>
      <OptionsEditor answer={answer} onAnswer={onAnswer} multiple={multiple} fixed={fixed} />
    </Form.Item>
  );
}

/** Hands a field's value to `children`: a name inside a list is relative to it, which Form.useWatch cannot take. */
function Current({ value, children }: { value?: unknown; children: (value: unknown) => ReactNode }) {
  return <>{children(value)}</>;
}

/**
 * A question's options and right answers as one field: tick the right ones (单选 one, 多选 several, 判断 正确/错误).
 * `listsAnswers`: the answer is a list of ids (a bank question) rather than one id (a question written into a quiz);
 * `hasFormat`: the question has a 题型 (`format`) that decides single, multiple or true/false.
 */
export function ChoiceFields({ name, listsAnswers, hasFormat }: { name: Path; listsAnswers: boolean; hasFormat: boolean }) {
  const field = (format: unknown) => (
    <Form.Item name={[...name, 'answer']} label="选项与正确答案" required extra={format === 'multiple' ? '勾选全部正确选项' : '勾选唯一的正确选项'}>
      <AnswerControl optionsName={[...name, 'options']} listsAnswers={listsAnswers} multiple={format === 'multiple'} fixed={format === 'truefalse'} />
    </Form.Item>
  );
  if (!hasFormat) return field('single');
  return (
    <Form.Item name={[...name, 'format']} noStyle>
      <Current>{field}</Current>
    </Form.Item>
  );
}
