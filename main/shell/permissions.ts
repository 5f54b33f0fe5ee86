/**
 * Permission requests of web content (camera, microphone, notifications, geolocation, clipboard
 * reads, HID/USB/serial devices…). A ward workstation's screens need none of them, so the
 * reviewed list is empty; one added here must name the screen that needs it.
 */
import { isAppUrl } from './app-origin';

export const ALLOWED_PERMISSIONS: readonly string[] = [];

/** Answers both Electron's permission requests and its permission checks. */
export function isPermissionAllowed(permission: string, requestingUrl: string): boolean {
  return ALLOWED_PERMISSIONS.includes(permission) && isAppUrl(requestingUrl);
}

/** Access to USB, HID, serial and Bluetooth devices from the page: never. */
export function isDeviceAccessAllowed(): boolean {
  return false;
}
