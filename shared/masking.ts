// Display masking for personal data (JR/T 0171-2020 practice): phone 3+4, ID number first
// and last character, name with all but the last character hidden.

export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s+/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

export function maskIdNumber(id: string): string {
  if (id.length <= 2) return '*'.repeat(id.length);
  return `${id[0]}${'*'.repeat(id.length - 2)}${id[id.length - 1]}`;
}

export function maskName(name: string): string {
  const chars = Array.from(name);
  if (chars.length <= 1) return '*';
  return `${'*'.repeat(chars.length - 1)}${chars[chars.length - 1]}`;
}

/** How one customer is named to others (boards, lists): the masked name, nickname or phone, never in full. */
export function maskedDisplayName(who: { name: string | null; nickname: string | null; phone: string | null }): string {
  if (who.name) return maskName(who.name);
  if (who.nickname) return maskName(who.nickname);
  if (who.phone) return maskPhone(who.phone);
  return '微信用户';
}
