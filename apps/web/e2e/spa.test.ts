import { join } from 'node:path';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer, upstreamEnv } from '@tollgate/server/testing';
import { type FakeUpstream, startFakeUpstream } from '@tollgate/test-tools';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, screenshot } from './browser';

const DIST = join(import.meta.dirname, '..', 'dist');

describe('the web app in a real Chromium', () => {
  let fake: FakeUpstream;
  let server: TestServer;
  let browser: Browser;
  let userKey: string;
  let serviceKey: string;
  const userId = '777';

  beforeAll(async () => {
    fake = await startFakeUpstream();
    server = await startTestServer({ ...upstreamEnv(fake), WEB_DIST_DIR: DIST }, { redisUrl: inject('redisUrl') });
    const key = async (uid: string, role: string) =>
      (
        (await (
          await server.call('/api/v1/ai/admin/keys/', {
            method: 'POST',
            token: TEST_ADMIN_TOKEN,
            json: { user_id: uid, role, name: `e2e ${role}` },
          })
        ).json()) as { key: string }
      ).key;
    userKey = await key(userId, 'user');
    serviceKey = await key('backend', 'service');
    // A $0.001 daily limit, so a few calls walk the meter through its states.
    await server.call(`/api/v1/ai/admin/limits/users/${userId}/`, {
      method: 'PUT',
      token: TEST_ADMIN_TOKEN,
      json: { daily_usd: 0.001 },
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
    await fake?.close();
  });

  const complete = (prompt: string) =>
    server.call('/api/v1/ai/complete/', {
      method: 'POST',
      token: userKey,
      json: { model: 'gpt-4o-mini', prompt, tags: ['e2e'] },
    });

  async function signIn(page: Page, token: string) {
    await page.goto(server.url);
    await page.getByLabel('Token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const meterStatus = (page: Page) => page.locator('section.tg-meter[data-status]').getAttribute('data-status');

  it('shows a user their spend, then the warning past 80 % and the block past 100 %', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    expect((await complete('hello there')).status).toBe(200);
    await signIn(page, userKey);
    await expect.poll(() => meterStatus(page)).toBe('ok');
    const spent = await page.locator('.tg-meter-bar').first().locator('.tg-meter-spent').textContent();
    expect(spent).toMatch(/^\$0\.0000\d+$/);
    await expect.poll(() => page.locator('table tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, 'user-ok');

    // ~$0.00084 of output: past 80 % of the $0.001 limit.
    expect((await complete('long answer please [[reply:1400]]')).status).toBe(200);
    await page.reload();
    await expect.poll(() => meterStatus(page)).toBe('warning');
    await expect(page.getByRole('status').filter({ hasText: 'daily AI spend limit' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'user-warning');

    // Usage reported by a backend pushes the user past the limit.
    const tracked = await server.call('/api/v1/ai/usage/', {
      method: 'POST',
      token: serviceKey,
      json: { user_id: userId, provider: 'openai', model: 'gpt-3.5-turbo', prompt_tokens: 1000, completion_tokens: 0 },
    });
    expect(((await tracked.json()) as { limit_exceeded: boolean }).limit_exceeded).toBe(true);
    await page.reload();
    await expect.poll(() => meterStatus(page)).toBe('exceeded');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('Daily spend limit exceeded');
    expect((await complete('one more?')).status).toBe(429);
    await screenshot(page, 'user-blocked');

    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'user-blocked-phone');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(1);
    await page.close();
  });

  it('shows admins the seeded data, and a confirmed reset brings the user back to 0', async () => {
    for (const model of ['anthropic/claude-3-5-haiku-latest', 'azure/prod-chat']) {
      await server.call('/api/v1/ai/complete/', {
        method: 'POST',
        token: serviceKey,
        json: { model, prompt: 'seed', user_id: 'seed-user' },
      });
    }
    await new Promise((r) => setTimeout(r, 200));
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, TEST_ADMIN_TOKEN);
    await expect
      .poll(() => page.locator('.stat').filter({ hasText: 'Requests' }).locator('.stat-value').textContent())
      .not.toBe('0');
    const requests = Number(
      (await page.locator('.stat').filter({ hasText: 'Requests' }).locator('.stat-value').textContent())?.replace(
        /,/g,
        '',
      ),
    );
    expect(requests).toBeGreaterThanOrEqual(4);
    await expect.poll(() => page.locator('figure.chart canvas').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'admin-overview');

    await page.getByRole('link', { name: 'Spend' }).click();
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name: userId }) });
    await row.getByRole('button', { name: 'Reset spend…' }).click();
    await screenshot(page, 'admin-reset-confirm');
    await row.getByRole('button', { name: 'Yes, reset' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: `Reset ${userId}` })
          .count(),
      )
      .toBe(1);

    await page.getByRole('link', { name: 'Requests' }).click();
    await page.getByLabel('Provider').selectOption('anthropic');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.locator('table tbody tr').count()).toBe(1);
    await page.getByRole('link', { name: 'Audit log' }).click();
    await expect.poll(() => page.locator('table tbody tr').filter({ hasText: userId }).count()).toBe(1);
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByLabel('User id').fill('new-user');
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => page.locator('code.secret').textContent()).toMatch(/^tg_/);
    await screenshot(page, 'admin-keys');
    await page.getByRole('button', { name: 'Sign out' }).click();

    await signIn(page, userKey);
    await expect.poll(() => meterStatus(page)).toBe('ok');
    expect(await page.locator('.tg-meter-bar').first().locator('.tg-meter-spent').textContent()).toBe('$0.00');
    await screenshot(page, 'user-after-reset');
    await page.close();
  });

  it('lets admins tune an alert rule, evaluate now and see it firing', async () => {
    // Some spend today, whatever ran before.
    const seeded = await server.call('/api/v1/ai/complete/', {
      method: 'POST',
      token: serviceKey,
      json: { model: 'gpt-4o-mini', prompt: 'alert seed', user_id: 'alert-user' },
    });
    expect(seeded.status).toBe(200);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, TEST_ADMIN_TOKEN);
    await page.getByRole('link', { name: 'Alerts' }).click();
    const rule = page.getByRole('form', { name: 'Rule daily_spend' });
    await rule.getByLabel('Threshold (USD per day)').fill('0.000001');
    await rule.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => rule.getByLabel('Threshold (USD per day)').inputValue()).toBe('0.000001');
    await page.getByRole('button', { name: 'Evaluate now' }).click();
    const firing = page.locator('.alert-list li').filter({ hasText: 'daily_spend' });
    await expect.poll(() => firing.count()).toBe(1);
    await expect.poll(() => page.locator('table tbody tr').filter({ hasText: 'daily_spend' }).count()).toBe(1);
    await screenshot(page, 'admin-alerts');
    await page.close();
  });

  it('manages prompt templates: create, new version, diff, tag move and render preview', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, TEST_ADMIN_TOKEN);
    await page.getByRole('link', { name: 'Prompts' }).click();
    await page.getByLabel('Name').fill('welcome');
    await page.getByLabel('System message').fill('You greet users of {{product}}.');
    await page.getByLabel('User message (use {{variables}})').fill('Say hello to {{user}}.');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);

    const edit = page.getByRole('form', { name: /New version from/ });
    await edit.getByLabel('user message').fill('Say a warm hello to {{user}}.');
    await edit.getByLabel('Commit message').fill('warmer');
    await edit.getByRole('button', { name: 'Save new version' }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(2);
    await expect.poll(() => page.locator('.diff-added').textContent()).toContain('Say a warm hello to {{user}}.');
    expect(await page.locator('.diff-removed').textContent()).toContain('Say hello to {{user}}.');

    const older = (await page.locator('tbody tr').nth(1).locator('code').textContent()) as string;
    const move = page.getByRole('form', { name: 'Move a tag' });
    await move.getByLabel('Version').selectOption(older);
    await move.getByRole('button', { name: 'Move tag' }).click();
    await expect
      .poll(() => page.locator('tbody tr').nth(1).locator('.badge').allTextContents())
      .toContain('production');

    await page.getByLabel('product', { exact: true }).fill('Tollgate');
    await page.getByLabel('user', { exact: true }).fill('Ada');
    await page.getByRole('button', { name: 'Render' }).click();
    await expect
      .poll(() => page.getByRole('list', { name: 'Rendered messages' }).textContent())
      .toContain('Say a warm hello to Ada.');
    await screenshot(page, 'admin-prompts');
    await page.close();
  });

  it('refuses a bad token with a clear message', async () => {
    const page = await browser.newPage();
    await signIn(page, 'tg_not_a_real_key');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Invalid or revoked API key/);
    await page.close();
  });
});
