/**
 * The header's count of today's attempts, as the BFF counts them: before a pass, used and left; after it,
 * used (practice after a pass uses none, so nothing is "left" to count down).
 */
export function attemptsText(passed: boolean, left: number, perDay: number): string {
  const used = Math.max(0, perDay - left);
  if (passed) return `您已通过，可继续练习（不计次数、不发奖励）。今日已答 ${used} 次。`;
  return left > 0 ? `今日已答 ${used} 次，还可作答 ${left} 次。` : `今日已答 ${used} 次，次数已用完，明天再来吧。`;
}
