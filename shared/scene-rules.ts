// Kept free of zod so the mini-program can check a scene without a schema library in its bundle.

/**
 * A share's scene: the short id a share link or a mini-program code carries. WeChat allows a
 * `scene` of at most 32 visible characters, so it names a record the BFF resolves (who shared,
 * for which activity, through which channel) and never carries those itself.
 */
export const SCENE_PATTERN = /^[A-Za-z0-9]{1,32}$/;
