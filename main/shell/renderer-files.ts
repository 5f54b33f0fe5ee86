/**
 * Which file of the built renderer answers an app:// request. The request path comes from the
 * page, so it is treated as hostile: anything that could step outside the renderer folder
 * (`..`, encoded or double-encoded separators and dots, backslashes, NUL, drive letters, a
 * symlink pointing out, a sibling folder whose name merely starts the same) is refused, never
 * "cleaned up" into something else.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin';

export type RendererFileAnswer =
  { status: 200; file: string } | { status: 403; reason: string } | { status: 404 };

const INDEX = 'index.html';

function refuse(reason: string): RendererFileAnswer {
  return { status: 403, reason };
}

/** The path segments of a request, or why they are refused. */
export function requestSegments(pathname: string): string[] | string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return 'malformed percent-encoding';
  }
  // What is left encoded after one decoding was encoded twice: no file of ours needs that.
  if (decoded.includes('%')) return 'double-encoded path';
  if (decoded.includes('\0')) return 'NUL in path';
  if (decoded.includes('\\')) return 'backslash in path';
  if (!decoded.startsWith('/')) return 'relative path';
  const segments = decoded.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '.' || segment === '..') return 'dot segment in path';
    // Drive letters (C:) and alternate data streams (file:stream) on Windows.
    if (segment.includes(':')) return 'colon in path';
  }
  // `//etc/passwd` would be an absolute path to some path APIs.
  if (segments.slice(0, -1).includes('')) return 'empty segment in path';
  return segments;
}

/** Whether `candidate` is `root` itself or inside it (not merely a path starting with its text). */
export function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The file answering `pathname` (as it came in the request, still percent-encoded) inside
 * `rendererDir`. A single-page app: a path that names no file is a client-side route and gets
 * index.html. The browser harness serves its static files through this too.
 */
export function resolveRendererPath(rendererDir: string, pathname: string): RendererFileAnswer {
  const segments = requestSegments(pathname);
  if (typeof segments === 'string') return refuse(segments);
  const root = realpathSync(resolve(rendererDir));
  const wanted = join(root, ...segments);
  if (!isInside(root, wanted)) return refuse('outside the renderer folder');
  const file = isFile(wanted) ? wanted : join(root, INDEX);
  if (!isFile(file)) return { status: 404 };
  // A symlink inside the folder must not lead out of it.
  if (!isInside(root, realpathSync(file))) return refuse('symlink out of the renderer folder');
  return { status: 200, file };
}

/** Resolves an app:// request (e.g. `app://wardline/assets/index-3f2a.js`) in `rendererDir`. */
export function resolveRendererFile(rendererDir: string, requestUrl: string): RendererFileAnswer {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return refuse('not a URL');
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { status: 404 };
  return resolveRendererPath(rendererDir, url.pathname);
}
