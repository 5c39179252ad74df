/**
 * The app's own line icons, for glyphs NutUI's set (`@nutui/icons-react-taro`) lacks: a 24 × 24
 * grid, 1.6 stroke, round caps and joins, no fill — drawn to sit beside NutUI's outline icons.
 * Each is the inside of an <svg>; `index.tsx` wraps and colours it.
 */
export const LINE_ICONS = {
  calendar: '<rect x="3.5" y="5" width="17" height="15.5" rx="2.5"/><path d="M3.5 10h17M8 3v4M16 3v4M9 15l2 2 4-4"/>',
  quiz: '<rect x="4.5" y="3.5" width="15" height="17" rx="2.5"/><path d="M9.8 9.2a2.3 2.3 0 1 1 3.2 2.1c-.6.3-1 .8-1 1.5v.4M12 16.6v.1"/>',
  draw: '<rect x="3.5" y="3.5" width="7" height="7" rx="1.5"/><rect x="13.5" y="3.5" width="7" height="7" rx="1.5"/><rect x="3.5" y="13.5" width="7" height="7" rx="1.5"/><path d="M17 13.8l1 2.1 2.3.3-1.7 1.6.4 2.3-2-1.1-2 1.1.4-2.3-1.7-1.6 2.3-.3z"/>',
  points: '<circle cx="12" cy="12" r="8.5"/><path d="M9 8.5l3 3.5 3-3.5M12 12v5M9.5 13h5M9.5 15.5h5"/>',
  rules: '<path d="M6.5 3.5h8l4 4v11.5a1.5 1.5 0 0 1-1.5 1.5h-10.5a1.5 1.5 0 0 1-1.5-1.5v-14a1.5 1.5 0 0 1 1.5-1.5z"/><path d="M14.5 3.5v4h4M8.5 12h7M8.5 15.5h7"/>',
  power: '<path d="M13 2.8L5.5 13.5h6l-1 7.7 8-11h-6z"/>',
  water: '<path d="M12 3.2c3.3 4 6 7.3 6 10.6a6 6 0 0 1-12 0c0-3.3 2.7-6.6 6-10.6z"/><path d="M9.2 14.3a2.9 2.9 0 0 0 2.8 2.7"/>',
  mobile: '<rect x="6.5" y="2.5" width="11" height="19" rx="2.5"/><path d="M10.5 18.5h3M13 7.5l-2 3h3l-2 3"/>',
  shield: '<path d="M12 3l7.5 2.8v5.6c0 4.5-3.1 8.3-7.5 9.6-4.4-1.3-7.5-5.1-7.5-9.6V5.8z"/><path d="M8.8 12l2.3 2.3 4.2-4.4"/>',
  house: '<path d="M4 10.5L12 4l8 6.5M6 9v10.5h12V9"/><path d="M10 19.5v-5h4v5"/>',
  medical: '<rect x="3.5" y="6.5" width="17" height="13" rx="2.5"/><path d="M9 6.5V4.5h6v2M12 10v6M9 13h6"/>',
  bus: '<rect x="4.5" y="3.5" width="15" height="14" rx="3"/><path d="M4.5 11h15M8 20.5v-3M16 20.5v-3M8 14.2h.1M16 14.2h.1"/>',
  car: '<path d="M5 16.5v-4l2-5.5h10l2 5.5v4z"/><path d="M5 12.5h14M7.5 19.5v-3M16.5 19.5v-3M8 14.5h.1M16 14.5h.1"/>',
  bank: '<path d="M3.5 9.5L12 4l8.5 5.5zM5.5 9.5v8M10 9.5v8M14 9.5v8M18.5 9.5v8M3.5 20h17"/>',
  invite: '<circle cx="10" cy="8" r="3.5"/><path d="M3.5 20c.5-3.7 3.2-6 6.5-6 1.4 0 2.7.4 3.7 1.1M18 14v6M15 17h6"/>',
  all: '<rect x="3.5" y="3.5" width="7" height="7" rx="2"/><rect x="13.5" y="3.5" width="7" height="7" rx="2"/><rect x="3.5" y="13.5" width="7" height="7" rx="2"/><rect x="13.5" y="13.5" width="7" height="7" rx="2"/>',
  live: '<rect x="3.5" y="6" width="12.5" height="12" rx="2.5"/><path d="M16 10.5l4.5-2.5v8l-4.5-2.5"/><circle cx="7.5" cy="10" r=".6"/>',
  cup: '<path d="M7 4h10l-1 15.5a1.5 1.5 0 0 1-1.5 1.5h-5a1.5 1.5 0 0 1-1.5-1.5z"/><path d="M6 7.5h12M9.5 12h5"/>',
  coupon:
    '<path d="M3.5 7a1.5 1.5 0 0 1 1.5-1.5h14a1.5 1.5 0 0 1 1.5 1.5v2.5a2.5 2.5 0 0 0 0 5V17a1.5 1.5 0 0 1-1.5 1.5h-14A1.5 1.5 0 0 1 3.5 17v-2.5a2.5 2.5 0 0 0 0-5z"/><path d="M14.5 6v1.5M14.5 11.2v1.6M14.5 16.5V18"/>',
  gift: '<rect x="3.5" y="8" width="17" height="4" rx="1"/><path d="M5 12v7.5a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V12M12 8v12.5M12 8c-1.2-3.5-5.5-4.3-5.5-1.7 0 1.5 2.7 1.7 5.5 1.7zM12 8c1.2-3.5 5.5-4.3 5.5-1.7 0 1.5-2.7 1.7-5.5 1.7z"/>',
  smile: '<circle cx="12" cy="12" r="8.5"/><path d="M8.5 14c.9 1.3 2.1 2 3.5 2s2.6-.7 3.5-2M9 9.8v.2M15 9.8v.2"/>',
  order: '<path d="M6 3.5h12a1 1 0 0 1 1 1v16l-2.3-1.5-2.3 1.5-2.4-1.5-2.4 1.5-2.3-1.5L5 20.5v-16a1 1 0 0 1 1-1z"/><path d="M8.5 8.5h7M8.5 12h7M8.5 15.5h4"/>',
  location: '<path d="M12 21s-6.5-5.6-6.5-11a6.5 6.5 0 0 1 13 0c0 5.4-6.5 11-6.5 11z"/><circle cx="12" cy="10" r="2.5"/>',
  user: '<circle cx="12" cy="8.5" r="4"/><path d="M4.5 20.5c.6-4 3.7-6.5 7.5-6.5s6.9 2.5 7.5 6.5"/>',
  service:
    '<path d="M4.5 13v-1a7.5 7.5 0 0 1 15 0v1"/><rect x="3.5" y="12.5" width="4" height="6" rx="1.5"/><rect x="16.5" y="12.5" width="4" height="6" rx="1.5"/><path d="M18.5 18.5c0 1.4-1.7 2.2-4.5 2.2"/>',
  store:
    '<path d="M4 9l1.5-5h13L20 9M4 9c0 1.7 1.3 2.8 2.7 2.8S9.3 10.7 9.3 9c0 1.7 1.2 2.8 2.7 2.8s2.7-1.1 2.7-2.8c0 1.7 1.2 2.8 2.6 2.8S20 10.7 20 9M5.5 11.5v9h13v-9M10 20.5v-4.5h4v4.5"/>',
  task: '<rect x="4.5" y="4.5" width="15" height="16" rx="2.5"/><path d="M9 3v3M15 3v3M8.5 12l2.2 2.2 4.8-4.7M8.5 17h7"/>',
  crown: '<path d="M4 8l4.5 4L12 5.5l3.5 6.5L20 8l-1.5 10.5h-13z"/><path d="M6 21h12"/>',
  star: '<path d="M12 3.5l2.6 5.4 5.9.8-4.3 4.1 1 5.8-5.2-2.8-5.2 2.8 1-5.8-4.3-4.1 5.9-.8z"/>',
} as const;

export type LineIconName = keyof typeof LINE_ICONS;
