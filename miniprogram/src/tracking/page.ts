import Taro from '@tarojs/taro';

/** The showing page's route, never its query (which may carry ids a customer shared). */
export function currentPage(): string {
  const pages = Taro.getCurrentPages();
  return (pages[pages.length - 1]?.route ?? '').replace(/^\//, '').split('?')[0];
}
