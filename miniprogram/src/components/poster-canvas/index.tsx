import { useEffect, useRef, useState } from 'react';
import { Canvas, View, Text } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css';
import type { PosterSpec } from '@shared/contracts/referrals';
import { mediaUrl } from '../../api/media';
import { posterImage } from '../../api/staff';
import { toastError } from '../../utils/toast';
import './index.scss';

/** The poster in canvas pixels (twice its on-screen size, for a sharp saved image). */
const W = 600;
const H = 900;
const BRAND = '#c8152d';
const TEXT = '#1f2329';
const TEXT_2 = '#4e5561';

type Ctx = CanvasRenderingContext2D;
type Img = CanvasImageSource;

/** Wraps `text` to `width`, at most `lines` lines, the last ending in … when cut. */
function wrap(ctx: Ctx, text: string, width: number, lines: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const ch of text) {
    if (ctx.measureText(line + ch).width > width) {
      out.push(line);
      line = ch;
      if (out.length === lines) break;
    } else line += ch;
  }
  if (out.length < lines && line) out.push(line);
  if (out.length === lines && out.join('').length < text.length) out[lines - 1] = `${out[lines - 1].slice(0, -1)}…`;
  return out;
}

/**
 * Draws the poster: the activity's artwork (under a scrim, so the white title stays readable)
 * or the brand colour, its title and copy, the manager's card, and the code carrying their scene.
 */
function draw(ctx: Ctx, spec: PosterSpec, code: Img, artwork: Img | null) {
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, W, H);
  ctx.fillStyle = BRAND;
  ctx.fillRect(0, 0, W, 360);
  if (artwork) {
    ctx.drawImage(artwork, 0, 0, W, 360);
    ctx.fillStyle = 'rgba(0, 0, 0, 0.45)';
    ctx.fillRect(0, 0, W, 360);
  }
  ctx.fillStyle = '#ffffff';
  ctx.font = 'bold 44px sans-serif';
  wrap(ctx, spec.title, W - 96, 2).forEach((l, i) => ctx.fillText(l, 48, 110 + i * 60));
  ctx.font = '28px sans-serif';
  wrap(ctx, spec.copy, W - 96, 3).forEach((l, i) => ctx.fillText(l, 48, 250 + i * 40));
  ctx.fillStyle = TEXT;
  ctx.font = 'bold 34px sans-serif';
  ctx.fillText(`${spec.manager.name} · ${spec.manager.title}`, 48, 440);
  ctx.fillStyle = TEXT_2;
  ctx.font = '26px sans-serif';
  ctx.fillText(spec.manager.orgName, 48, 486);
  ctx.drawImage(code, (W - 300) / 2, 540, 300, 300);
  ctx.font = '24px sans-serif';
  ctx.fillText('长按识别小程序码，由我为您服务', 48 + 60, 880);
}

const loadH5Image = (src: string) =>
  new Promise<HTMLImageElement>((resolve, reject) => {
    const img = new Image();
    img.crossOrigin = 'anonymous'; // drawn on the canvas that is then saved: it must not taint it
    img.onload = () => resolve(img);
    img.onerror = reject;
    img.src = src;
  });

/**
 * The manager's poster, drawn on a canvas from the BFF's specification, to save to the album
 * (weapp) or download (H5). The code image is fetched with the manager's session.
 */
export function PosterCanvas({ spec }: { spec: PosterSpec }) {
  const [ready, setReady] = useState(false);
  const h5Canvas = useRef<HTMLCanvasElement | null>(null);

  useEffect(() => {
    let cancelled = false;
    async function paint() {
      const code = await posterImage(spec.wxacode);
      if (process.env.TARO_ENV === 'h5') {
        const canvas = h5Canvas.current ?? document.createElement('canvas');
        canvas.width = W;
        canvas.height = H;
        canvas.setAttribute('aria-label', `${spec.title}海报`);
        canvas.className = 'poster__canvas';
        if (!h5Canvas.current) {
          h5Canvas.current = canvas;
          document.querySelector('[data-testid="poster"] .poster__host')?.appendChild(canvas);
        }
        const artwork = spec.artwork ? await loadH5Image(mediaUrl(spec.artwork)).catch(() => null) : null;
        draw(canvas.getContext('2d')!, spec, await loadH5Image(code), artwork);
      } else {
        const [found] = await new Promise<{ node: HTMLCanvasElement & { createImage(): HTMLImageElement } }[]>((resolve) =>
          Taro.createSelectorQuery().select('#poster-canvas').fields({ node: true, size: true }).exec(resolve),
        );
        const canvas = found.node;
        canvas.width = W;
        canvas.height = H;
        const load = (src: string) =>
          new Promise<HTMLImageElement>((resolve, reject) => {
            const img = canvas.createImage();
            img.onload = () => resolve(img);
            img.onerror = reject;
            img.src = src;
          });
        const artwork = spec.artwork
          ? await Taro.downloadFile({ url: mediaUrl(spec.artwork) })
              .then((f) => load(f.tempFilePath))
              .catch(() => null)
          : null;
        draw(canvas.getContext('2d')!, spec, await load(code), artwork);
      }
      if (!cancelled) setReady(true);
    }
    paint().catch(toastError);
    return () => {
      cancelled = true;
    };
  }, [spec]);

  async function save() {
    try {
      if (process.env.TARO_ENV === 'h5') {
        const a = document.createElement('a');
        a.href = h5Canvas.current!.toDataURL('image/png');
        a.download = `海报-${spec.scene}.png`;
        a.click();
        return;
      }
      const [found] = await new Promise<{ node: unknown }[]>((resolve) => Taro.createSelectorQuery().select('#poster-canvas').fields({ node: true }).exec(resolve));
      const { tempFilePath } = await Taro.canvasToTempFilePath({ canvas: found.node as never, fileType: 'png' } as never);
      await Taro.saveImageToPhotosAlbum({ filePath: tempFilePath });
      Taro.showToast({ title: '海报已保存到相册', icon: 'none' });
    } catch (err) {
      if ((err as { errMsg?: string })?.errMsg?.includes('cancel')) return;
      toastError(err);
    }
  }

  return (
    <View className="poster" data-testid="poster" data-ready={ready ? 'yes' : 'no'}>
      {process.env.TARO_ENV === 'h5' ? <View className="poster__host" /> : <Canvas type="2d" id="poster-canvas" className="poster__canvas" />}
      {!ready && <Text className="poster__meta">海报生成中…</Text>}
      <Button type="primary" block disabled={!ready} onClick={save} data-testid="poster-save">
        {process.env.TARO_ENV === 'h5' ? '下载海报' : '保存到相册'}
      </Button>
    </View>
  );
}
