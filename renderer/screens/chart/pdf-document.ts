/**
 * pdf.js as the chart's PDF viewer uses it (issue 17). Loaded on demand (its own chunk), so the
 * chart does not carry it until a PDF is opened. The worker is a file of our own build, served
 * from the app's origin ('self', CSP `worker-src 'self'`), never a CDN. The bytes are handed over
 * in memory: pdf.js fetches nothing (no cMaps, standard-font or wasm files, which the renderer's
 * `connect-src 'none'` would refuse anyway), and it never compiles code from strings, so the
 * policy needs no `unsafe-eval`.
 */
import { getDocument, GlobalWorkerOptions, TextLayer } from 'pdfjs-dist';
import type { PDFDocumentLoadingTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

export type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist';
export { TextLayer };

export function loadPdf(bytes: Uint8Array): PDFDocumentLoadingTask {
  return getDocument({
    data: bytes,
    isEvalSupported: false,
    // Fonts a report does not embed are drawn with the workstation's own, not fetched.
    useSystemFonts: true,
    useWasm: false,
    enableXfa: false,
  });
}
