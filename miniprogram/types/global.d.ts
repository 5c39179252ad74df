/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.svg';
declare module '*.scss';
declare module '*.css';

/** Set at build time by miniprogram/config/index.ts. */
declare const API_BASE_URL: string;
declare const FAKE_WECHAT_LOGIN: boolean;
declare const FAKE_WECHAT_BASE: string;

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV?: 'weapp' | 'h5';
  }
}

/** The bank's customer-service hotline (shared/service-hotline.ts), set at build time. */
declare const SERVICE_HOTLINE: string;

/** jsbarcode's Code128 encoder alone (the package's types cover only its DOM entry). */
declare module 'jsbarcode/bin/barcodes/CODE128' {
  export class CODE128 {
    constructor(data: string, options: object);
    valid(): boolean;
    encode(): { data: string; text: string };
  }
}
