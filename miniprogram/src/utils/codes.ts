import { CODE128 } from 'jsbarcode/bin/barcodes/CODE128';
import qrcode from 'qrcode-generator';

/**
 * A coupon code as pictures a shop's scanner reads: a Code128 barcode and a QR code, each as SVG
 * markup in a data address, which an <Image> shows alike in WeChat and in a browser (no canvas).
 * Drawn black on white with quiet zones (10 modules beside a barcode, 4 around a QR code).
 */

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 of ASCII text (the mini-program's JavaScript has no btoa). */
function base64(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i += 3) {
    const [a, b, c] = [text.charCodeAt(i), text.charCodeAt(i + 1), text.charCodeAt(i + 2)];
    const n = (a << 16) | ((b || 0) << 8) | (c || 0);
    out += BASE64[(n >> 18) & 63] + BASE64[(n >> 12) & 63] + (i + 1 < text.length ? BASE64[(n >> 6) & 63] : '=') + (i + 2 < text.length ? BASE64[n & 63] : '=');
  }
  return out;
}

const svgDataUrl = (svg: string) => `data:image/svg+xml;base64,${base64(svg)}`;

/** The bars of a Code128 barcode, as 1 (bar) and 0 (space) per module; null if the text cannot be encoded. */
export function code128Modules(text: string): string | null {
  const barcode = new CODE128(text, {});
  if (!barcode.valid()) return null;
  return barcode.encode().data;
}

export function barcodeSvg(text: string): string | null {
  const modules = code128Modules(text);
  if (!modules) return null;
  const quiet = 10;
  const height = 50;
  let path = '';
  for (let x = 0; x < modules.length;) {
    let run = 0;
    while (modules[x + run] === modules[x]) run += 1;
    if (modules[x] === '1') path += `M${x + quiet} 0h${run}v${height}h-${run}z`;
    x += run;
  }
  const width = modules.length + 2 * quiet;
  return svgDataUrl(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" shape-rendering="crispEdges"><rect width="${width}" height="${height}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`,
  );
}

export function qrSvg(text: string): string {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const size = qr.getModuleCount();
  const quiet = 4;
  let path = '';
  for (let row = 0; row < size; row += 1) {
    for (let col = 0; col < size;) {
      if (!qr.isDark(row, col)) {
        col += 1;
        continue;
      }
      let run = 0;
      while (col + run < size && qr.isDark(row, col + run)) run += 1;
      path += `M${col + quiet} ${row + quiet}h${run}v1h-${run}z`;
      col += run;
    }
  }
  const width = size + 2 * quiet;
  return svgDataUrl(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${width}" shape-rendering="crispEdges"><rect width="${width}" height="${width}" fill="#fff"/><path d="${path}" fill="#000"/></svg>`,
  );
}
