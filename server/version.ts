/** Reported by /v1/health; follows package.json. */
export const SERVER_VERSION = '0.1.0';
