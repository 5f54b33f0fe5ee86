/** The workstation's version, which it reports with each push (Fleet); follows package.json. */
export const WORKSTATION_VERSION = '0.1.0';
