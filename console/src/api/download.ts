import { request } from './client';

/** Downloads a file the BFF serves behind sign-in (the link alone would not carry the token). */
export async function download(path: string, filename: string) {
  const blob = await (await request('GET', path)).blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}
