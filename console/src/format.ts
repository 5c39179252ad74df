/** A moment as the bank's staff read it: Beijing time, whatever the browser's zone. */
export const beijingTime = (t: string) => new Date(t).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' });
