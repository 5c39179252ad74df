/** The brand colour for what JS draws (WeChat's modal buttons): the same as `$brand` in styles/tokens.scss. */
export const BRAND = '#c8152d';
