import type { Page } from 'playwright-core';

export type A11yFindings = { contrast: string[]; unnamed: string[]; small: string[] };

/** Elements a customer taps: buttons, links, switches, tabs, cells that open something. */
export const CONTROLS = [
  'taro-button-core',
  'button',
  'a',
  '[role=button]',
  '.nut-switch',
  '.nut-cell-clickable',
  '.weui-tabbar__item',
  '[class*="__tab"]:not([class*="__tabs"])',
  '[class*="__entry"]:not([class*="__entry-"])',
  '[class$="__shortcut"]',
  '[class*="-nav"]:not([class*="navigation-bar"])',
  '.taro-navigation-bar-show .taro-navigation-bar-back',
  '.taro-navigation-bar-show .taro-navigation-bar-home',
  '[class*="__button"]',
  '[class*="__link"]',
  '[class*="__more"]',
].join(',');

/**
 * Checks what is on screen as WCAG 2.1 AA asks: text contrast at least 4.5:1 against the
 * background it is drawn on (gradients by their colour stops), every control with a name, and
 * every control at least 44×44 px. Returns what fails, described for a reader.
 */
export async function auditPage(page: Page): Promise<A11yFindings> {
  return page.evaluate((controls) => {
    type RGBA = [number, number, number, number];
    const parse = (c: string): RGBA[] =>
      [...c.matchAll(/rgba?\(([^)]+)\)/g)].map((m) => {
        const [r, g, b, a = '1'] = m[1].split(/[ ,/]+/).filter(Boolean);
        return [Number(r), Number(g), Number(b), Number(a)];
      });
    const lum = ([r, g, b]: RGBA) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a: RGBA, b: RGBA) => {
      const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    const blend = (fg: RGBA, bg: RGBA): RGBA => [0, 1, 2].map((i) => fg[i] * fg[3] + bg[i] * (1 - fg[3])).concat(1) as RGBA;
    /** The colours behind an element: its own or its nearest ancestor's fill, every stop of a gradient. */
    function backgrounds(el: Element | null): RGBA[] {
      for (let e = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        const stops = s.backgroundImage !== 'none' ? parse(s.backgroundImage) : [];
        if (stops.length) return stops.map((c) => blend(c, [255, 255, 255, 1]));
        const [fill] = parse(s.backgroundColor);
        if (fill && fill[3] > 0.5) return [blend(fill, [255, 255, 255, 1])];
      }
      return [[255, 255, 255, 1]];
    }
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0 && r.bottom > 0 && r.top < innerHeight;
    };
    const describe = (el: Element) => `${el.tagName.toLowerCase()}.${String(el.className).split(' ')[0]} "${(el.textContent ?? '').trim().slice(0, 20)}"`;

    const contrast: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set<Element>();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || seen.has(el) || !(n.textContent ?? '').trim() || !visible(el)) continue;
      seen.add(el);
      const s = getComputedStyle(el);
      const [fg] = parse(s.color);
      if (!fg) continue;
      const worst = Math.min(...backgrounds(el).map((bg) => ratio(blend(fg, bg), bg)));
      if (worst < 4.5) contrast.push(`${describe(el)} ${worst.toFixed(2)}:1`);
    }

    const unnamed: string[] = [];
    const small: string[] = [];
    for (const el of document.querySelectorAll(controls)) {
      if (!visible(el)) continue;
      const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
      if (!name) unnamed.push(describe(el));
      const r = el.getBoundingClientRect();
      if (r.width < 44 - 0.5 || r.height < 44 - 0.5) small.push(`${describe(el)} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return { contrast, unnamed, small };
  }, CONTROLS);
}
