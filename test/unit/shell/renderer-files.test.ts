/**
 * The app:// path guard on a real folder layout: the built renderer beside a sibling whose name
 * starts the same (`renderer-evil`), a secret one level up, and a symlink pointing out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInside, requestSegments, resolveRendererFile } from '../../../main/shell/renderer-files';

let base: string;
let renderer: string;

beforeAll(() => {
  base = realpathSync(mkdtempSync(join(tmpdir(), 'wardline-app-')));
  renderer = join(base, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html>');
  writeFileSync(join(renderer, 'assets', 'index-3f2a.js'), 'export {}');
  mkdirSync(join(base, 'renderer-evil'));
  writeFileSync(join(base, 'renderer-evil', 'payload.js'), 'steal()');
  writeFileSync(join(base, 'secret.txt'), 'patients');
  symlinkSync(join(base, 'secret.txt'), join(renderer, 'assets', 'leak.js'));
});
afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

const serve = (url: string) => resolveRendererFile(renderer, url);

describe('the app:// path guard', () => {
  it('serves the renderer’s files, and index.html for client-side routes', () => {
    expect(serve('app://wardline/index.html')).toEqual({
      status: 200,
      file: join(renderer, 'index.html'),
    });
    expect(serve('app://wardline/assets/index-3f2a.js')).toEqual({
      status: 200,
      file: join(renderer, 'assets', 'index-3f2a.js'),
    });
    expect(serve('app://wardline/ward/board?x=1#top')).toEqual({
      status: 200,
      file: join(renderer, 'index.html'),
    });
    expect(serve('app://wardline/')).toEqual({ status: 200, file: join(renderer, 'index.html') });
  });

  it('refuses traversal, encoded or double-encoded, backslashes, NUL and absolute paths', () => {
    for (const url of [
      'app://wardline/..%2fsecret.txt',
      'app://wardline/assets/..%2f..%2fsecret.txt',
      'app://wardline/%2e%2e%2fsecret.txt',
      'app://wardline/%2E%2E%2Fsecret.txt',
      'app://wardline/%252e%252e%252fsecret.txt',
      'app://wardline/..%252fsecret.txt',
      'app://wardline/..%5csecret.txt',
      'app://wardline/assets\\..\\..\\secret.txt',
      'app://wardline/index.html%00.js',
      'app://wardline//etc/passwd',
      'app://wardline/%2fetc%2fpasswd',
      'app://wardline/C:/Windows/win.ini',
      'app://wardline/C%3a%5cWindows%5cwin.ini',
      'app://wardline/%e0%a4%a',
    ]) {
      expect(serve(url), url).toMatchObject({ status: 403 });
    }
  });

  it('never serves a sibling folder whose name merely starts the same', () => {
    // The old guard compared text: "/x/renderer-evil/payload.js".startsWith("/x/renderer").
    expect(serve('app://wardline/..%2frenderer-evil%2fpayload.js')).toMatchObject({
      status: 403,
    });
    expect(isInside(renderer, join(base, 'renderer-evil', 'payload.js'))).toBe(false);
    expect(isInside(renderer, join(renderer, 'assets', 'x.js'))).toBe(true);
    expect(isInside(renderer, renderer)).toBe(true);
    expect(isInside(renderer, base)).toBe(false);
  });

  it('resolves plain dot segments inside the URL, so they cannot leave the folder either', () => {
    // The URL parser folds `..` and `%2e%2e` segments before the guard sees them.
    for (const url of [
      'app://wardline/../secret.txt',
      'app://wardline/%2e%2e/secret.txt',
      'app://wardline/assets/../../../../secret.txt',
    ]) {
      const answer = serve(url);
      expect(answer.status, url).toBe(200);
      if (answer.status === 200) expect(isInside(renderer, answer.file), url).toBe(true);
    }
  });

  it('refuses a symlink inside the folder that leads out of it', () => {
    expect(serve('app://wardline/assets/leak.js')).toMatchObject({ status: 403 });
  });

  it('answers only its own scheme and host', () => {
    expect(serve('app://other/index.html')).toEqual({ status: 404 });
    expect(serve('file:///etc/passwd')).toEqual({ status: 404 });
    expect(serve('not a url')).toMatchObject({ status: 403 });
  });

  it('names why a raw path is refused', () => {
    expect(requestSegments('/assets/index.js')).toEqual(['assets', 'index.js']);
    expect(requestSegments('/%2e%2e/secret')).toBe('dot segment in path');
    expect(requestSegments('/..%2fsecret')).toBe('dot segment in path');
    expect(requestSegments('/%252e%252e/secret')).toBe('double-encoded path');
    expect(requestSegments('/a%5cb')).toBe('backslash in path');
    expect(requestSegments('/a%00b')).toBe('NUL in path');
    expect(requestSegments('etc')).toBe('relative path');
    expect(requestSegments('//etc/passwd')).toBe('empty segment in path');
    expect(requestSegments('/C:/x')).toBe('colon in path');
    expect(requestSegments('/%e0%a4%a')).toBe('malformed percent-encoding');
  });
});
