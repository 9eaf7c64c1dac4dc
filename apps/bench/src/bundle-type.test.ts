import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative as relativePath } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleTypeProblem } from './bundle-type';

// Every tree lives under one folder the search stops at, so a package.json a machine happens to
// have in /tmp or / changes nothing here.
const top = mkdtempSync(join(tmpdir(), 'bundle-type-'));
afterAll(() => rmSync(top, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(top, 'tree-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const problem = (bundle: string, cwd = process.cwd()) => bundleTypeProblem(bundle, cwd, top);

describe('bench: a server bundle must be typed as an ES module', () => {
  it('accepts a bundle whose nearest package.json says "type": "module", beside it or above it', () => {
    const root = tree({ 'a/package.json': '{"type":"module"}', 'a/main.js': '', 'b/c/main.js': '' });
    writeFileSync(join(root, 'b/package.json'), '{"type":"module","name":"x"}');
    expect(problem(join(root, 'a/main.js'))).toBeNull();
    expect(problem(join(root, 'b/c/main.js'))).toBeNull();
  });

  it('names the package.json that does not say so, the nearest one deciding', () => {
    const root = tree({ 'package.json': '{"type":"module"}', 'a/package.json': '{"name":"a"}', 'a/main.js': '' });
    expect(problem(join(root, 'a/main.js'))).toContain(join(root, 'a/package.json'));
    const broken = tree({ 'package.json': '{not json', 'main.js': '' });
    expect(problem(join(broken, 'main.js'))).toContain('not valid JSON');
  });

  it('refuses a bare copy of the bundle, which Node would load by syntax detection', () => {
    const root = tree({ 'main.js': '' });
    expect(problem(join(root, 'main.js'))).toMatch(/no package.json says/);
    expect(problem(join(root, 'main.mjs'))).toBeNull();
    // Named relative to a folder whose package.json says "module": its parents are not the bundle's.
    const typed = tree({ 'package.json': '{"type":"module"}' });
    const relative = relativePath(typed, join(root, 'main.js'));
    expect(relative.startsWith('..')).toBe(true);
    expect(problem(relative, typed)).toMatch(/no package.json says/);
  });

  it('counts a package.json at the top folder itself', () => {
    writeFileSync(join(top, 'package.json'), '{"name":"top"}');
    const root = tree({ 'main.js': '' });
    expect(problem(join(root, 'main.js'))).toContain(join(top, 'package.json'));
    rmSync(join(top, 'package.json'));
  });
});
