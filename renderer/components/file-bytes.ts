/**
 * Files crossing IPC travel as base64 (JSON carries no bytes): a chosen file read into it, and
 * bytes that came back out of it for a viewer or a download.
 */

/** A file the person chose, as base64; the sentence names the file when it cannot be read. */
export function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => {
      reject(new Error(`${file.name} could not be read from this computer.`));
    };
    reader.readAsDataURL(file);
  });
}

export function bytesOf(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
