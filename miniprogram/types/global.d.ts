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
