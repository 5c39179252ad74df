// Kept free of zod, like errors.ts: the mini-program shows this version and sends it back.

/** The bank's privacy policy and personal-information rules now in force: consent is to this version. */
export const PRIVACY_POLICY_VERSION = '2026-11';
