/**
 * Electron's PDF printer for Wardline's printed documents (shared/print/*): the HTML loaded in a
 * hidden, script-less window and printed with `webContents.printToPDF`, the engine Chromium's
 * `page.pdf()` drives in the tests. Thin on purpose: everything else is plain, tested Node.
 */
import { BrowserWindow } from 'electron';

export async function printHtmlToPdf(html: string): Promise<Uint8Array> {
  const window = new BrowserWindow({
    show: false,
    webPreferences: { javascript: false, sandbox: true, contextIsolation: true },
  });
  try {
    await window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
    return await window.webContents.printToPDF({
      pageSize: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
    });
  } finally {
    window.destroy();
  }
}
