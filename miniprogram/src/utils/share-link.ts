import Taro from '@tarojs/taro';

/** A mini-program page path as the H5 build opens it: what a share is outside WeChat. */
export const h5Link = (path: string) => `${window.location.origin}${window.location.pathname}#${path}`;

/** H5 has no share sheet: the link is copied, to paste into a chat (never shown as an address), and the toast says so. */
export async function copyShareLink(path: string, toast: string): Promise<void> {
  await Taro.setClipboardData({ data: h5Link(path) });
  void Taro.showToast({ title: toast, icon: 'none' });
}
