// Vite's `?url` import: the bundled file's address inside the build (the pdf.js worker).
declare module 'pdfjs-dist/build/pdf.worker.min.mjs?url' {
  const url: string;
  export default url;
}
