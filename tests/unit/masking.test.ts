import { maskIdNumber, maskName, maskPhone } from '../../shared/masking';

describe('personal data masking', () => {
  test('phone numbers keep the first 3 and last 4 digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
  test('ID numbers keep the first and last character', () => {
    expect(maskIdNumber('310101199001011234')).toBe('3****************4');
  });
  test('names keep only the last character', () => {
    expect(maskName('张三')).toBe('*三');
    expect(maskName('欧阳小明')).toBe('***明');
    expect(maskName('王')).toBe('*');
  });
  test('short values are masked whole', () => {
    expect(maskPhone('12345')).toBe('*****');
    expect(maskIdNumber('12')).toBe('**');
  });
});
