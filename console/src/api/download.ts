import type { WireRequest } from '@shared/api/client';
import { request } from './client';

/** Downloads a file the BFF serves behind sign-in (the link alone would not carry the token): `download(wireRequest('exportDrawWinners', …), name)`. */
export async function download(wire: WireRequest, filename: string) {
  const blob = await (await request(wire)).blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}
