/**
 * The bank's customer-service hotline, offered where WeChat's own 客服 conversation cannot open
 * (the H5 build, outside WeChat). Each bank builds the mini-program with its own number
 * (`TARO_APP_SERVICE_HOTLINE`, required for a production build); the demo bank's is a placeholder.
 */
export const SERVICE_HOTLINE_LABEL = '客服热线';
export const DEMO_SERVICE_HOTLINE = '95000';
/** What a hotline may be: digits, with dashes between groups (95000, 400-820-0000). */
export const SERVICE_HOTLINE_PATTERN = /^\d{3,5}(-?\d{3,4}){0,2}$/;
