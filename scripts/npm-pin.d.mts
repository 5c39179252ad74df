export declare const NPM: string;
export declare function npmCiArgs(...extra: string[]): string[];
