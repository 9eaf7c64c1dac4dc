import { createMemoryStore, type Store } from '@tollgate/store';
import { createTestRedisStore } from '@tollgate/store/testing';
import { type FakeLangSmith, startFakeLangSmith } from '@tollgate/test-tools';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLangSmithPromptHub, fromManifest, toManifest } from './langsmith-hub';
import { createPromptRepo, PromptNotFoundError, versionOf } from './repo';
import { PromptVariablesError, render, variablesOf } from './template';

const messages = [
  { role: 'system' as const, content: 'You are a {{tone}} assistant for {{ product }}.' },
  { role: 'user' as const, content: 'Summarise: {{text}}' },
];

describe('templates', () => {
  it('finds variables and renders every one, once', () => {
    expect(variablesOf(messages)).toEqual(['tone', 'product', 'text']);
    expect(render(messages, { tone: 'terse', product: 'Tollgate', text: '{{tone}} stays literal' })).toEqual([
      { role: 'system', content: 'You are a terse assistant for Tollgate.' },
      { role: 'user', content: 'Summarise: {{tone}} stays literal' },
    ]);
  });

  it('names missing and unknown variables', () => {
    const error = (() => {
      try {
        render(messages, { tone: 'x', extra: 1 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PromptVariablesError);
    expect(error).toMatchObject({ missing: ['product', 'text'], unknown: ['extra'] });
    expect((error as Error).message).toBe('missing variables: product, text; unknown variables: extra');
  });

  it('addresses versions by content', () => {
    expect(versionOf(messages, { model: 'gpt-4o-mini' })).toBe(versionOf(messages, { model: 'gpt-4o-mini' }));
    expect(versionOf(messages, {})).not.toBe(versionOf(messages, { model: 'gpt-4o-mini' }));
    expect(versionOf(messages, {})).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe.each([
  ['memory', async () => createMemoryStore({ sweepIntervalMs: 0 }) as Store],
  ['redis', () => createTestRedisStore(inject('redisUrl')) as Promise<Store>],
])('prompt repository on %s', (_name, make) => {
  const stores: Store[] = [];
  afterAll(() => Promise.all(stores.map((s) => s.close())));

  it('keeps immutable versions, history newest first, and movable tags', async () => {
    const store = await make();
    stores.push(store);
    let clock = 1_000;
    const repo = createPromptRepo({ store, now: () => clock++ });
    const v1 = await repo.create({ name: 'summary', messages, author: 'admin', commit_message: 'first' });
    expect(v1.created).toBe(true);
    const again = await repo.create({ name: 'summary', messages, author: 'someone else' });
    expect(again).toMatchObject({ created: false, version: { version: v1.version.version, author: 'admin' } });
    const v2 = await repo.create({
      name: 'summary',
      messages: [...messages, { role: 'assistant', content: 'Sure.' }],
      defaults: { model: 'gpt-4o-mini', temperature: 0.2 },
      author: 'admin',
    });
    expect((await repo.history('summary')).map((v) => v.version)).toEqual([v2.version.version, v1.version.version]);
    expect((await repo.resolve({ name: 'summary' })).version).toBe(v2.version.version);

    await repo.tag('summary', 'production', v1.version.version);
    expect((await repo.resolve({ name: 'summary', tag: 'production' })).version).toBe(v1.version.version);
    expect((await repo.resolve({ name: 'summary', version: v2.version.version })).defaults).toEqual({
      model: 'gpt-4o-mini',
      temperature: 0.2,
    });
    await expect(repo.tag('summary', 'production', 'nope')).rejects.toBeInstanceOf(PromptNotFoundError);
    await expect(repo.resolve({ name: 'summary', tag: 'staging' })).rejects.toBeInstanceOf(PromptNotFoundError);
    await expect(repo.resolve({ name: 'other' })).rejects.toBeInstanceOf(PromptNotFoundError);
    expect(await repo.list()).toEqual([
      expect.objectContaining({
        name: 'summary',
        latest: v2.version.version,
        versions: 2,
        tags: { latest: v2.version.version, production: v1.version.version },
      }),
    ]);
  });
});

describe("LangSmith's prompt hub", () => {
  const KEY = 'lsv2_pt_prompt_hub_key_0000';
  let ls: FakeLangSmith;
  beforeAll(async () => {
    ls = await startFakeLangSmith({ apiKey: KEY });
  });
  afterAll(() => ls.close());

  it('pushes a version as a ChatPromptTemplate commit and pulls it back unchanged', async () => {
    const store = createMemoryStore({ sweepIntervalMs: 0 });
    const repo = createPromptRepo({ store });
    const hub = createLangSmithPromptHub({ apiKey: KEY, apiUrl: ls.url });
    const { version } = await repo.create({ name: 'summary', messages, author: 'admin', commit_message: 'v1' });
    const pushed = await hub.push(version);
    expect(pushed.url).toContain('/prompts/summary/');
    const commits = ls.hubCommits('summary');
    expect(commits).toHaveLength(1);
    expect(commits[0]?.manifest).toMatchObject({
      id: ['langchain_core', 'prompts', 'chat', 'ChatPromptTemplate'],
      kwargs: { input_variables: ['tone', 'product', 'text'] },
    });
    const firstHash = commits[0]?.commit_hash as string;
    expect(pushed.commit).toBe(firstHash.slice(0, 8));

    const second = await repo.create({ name: 'summary', messages: messages.slice(1), author: 'admin' });
    await hub.push(second.version);
    expect(ls.hubCommits('summary')[0]?.parent_commit).toBe(firstHash);

    const latest = await hub.pull('summary');
    expect(latest.messages).toEqual(messages.slice(1));
    const first = await hub.pull('summary', firstHash.slice(0, 8));
    expect(first.messages).toEqual(messages);
    expect(fromManifest(toManifest(version))).toEqual(messages);
  });

  it('fails with a clear error, and no secret, on a bad key or a missing prompt', async () => {
    const bad = createLangSmithPromptHub({ apiKey: 'lsv2_wrong_key', apiUrl: ls.url });
    await expect(bad.pull('summary')).rejects.toThrow(/LangSmith pull failed \(HTTP 401\)/);
    const hub = createLangSmithPromptHub({ apiKey: KEY, apiUrl: ls.url });
    await expect(hub.pull('nope')).rejects.toThrow(/LangSmith pull failed/);
  });
});
