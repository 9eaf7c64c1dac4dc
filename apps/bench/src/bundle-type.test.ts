import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative as relativePath } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleTypeProblem } from './bundle-type';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'bundle-type-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe('bench: a server bundle must be typed as an ES module', () => {
  it('accepts a bundle whose nearest package.json says "type": "module", beside it or above it', () => {
    const root = tree({ 'a/package.json': '{"type":"module"}', 'a/main.js': '', 'b/c/main.js': '' });
    writeFileSync(join(root, 'b/package.json'), '{"type":"module","name":"x"}');
    expect(bundleTypeProblem(join(root, 'a/main.js'))).toBeNull();
    expect(bundleTypeProblem(join(root, 'b/c/main.js'))).toBeNull();
  });

  it('names the package.json that does not say so, the nearest one deciding', () => {
    const root = tree({ 'package.json': '{"type":"module"}', 'a/package.json': '{"name":"a"}', 'a/main.js': '' });
    expect(bundleTypeProblem(join(root, 'a/main.js'))).toContain(join(root, 'a/package.json'));
    const broken = tree({ 'package.json': '{not json', 'main.js': '' });
    expect(bundleTypeProblem(join(broken, 'main.js'))).toContain('not valid JSON');
  });

  it('refuses a bare copy of the bundle, which Node would load by syntax detection', () => {
    const root = tree({ 'main.js': '' });
    // The case needs no package.json above the temporary folder; say so if a machine has one.
    const ancestors = [];
    for (let dir = root; dirname(dir) !== dir; dir = dirname(dir)) ancestors.push(dirname(dir));
    expect(ancestors.filter((dir) => existsSync(join(dir, 'package.json')))).toEqual([]);
    expect(bundleTypeProblem(join(root, 'main.js'))).toMatch(/no package.json says/);
    expect(bundleTypeProblem(join(root, 'main.mjs'))).toBeNull();
    // Named relative to a folder whose package.json says "module": its parents are not the bundle's.
    const typed = tree({ 'package.json': '{"type":"module"}' });
    const relative = relativePath(typed, join(root, 'main.js'));
    expect(relative.startsWith('..')).toBe(true);
    expect(bundleTypeProblem(relative, typed)).toMatch(/no package.json says/);
  });
});
