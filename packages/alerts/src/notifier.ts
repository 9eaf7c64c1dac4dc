/** Where notifications go: generic JSON webhooks and Slack-compatible incoming webhooks. */
export interface Webhook {
  url: string;
  format: 'json' | 'slack';
}

export interface AlertNotification {
  rule: string;
  subject: string;
  state: 'firing' | 'resolved';
  value: number;
  threshold: number;
  message: string;
  /** When the alert started firing, epoch ms. */
  since: number;
  at: number;
}

export interface Notifier {
  /** Delivers to every webhook; resolves with how many accepted it. Never throws. */
  notify(n: AlertNotification): Promise<number>;
  /** The webhooks without their secrets (a Slack URL's path is its credential). */
  describe(): { format: Webhook['format']; host: string }[];
}

function slackText(n: AlertNotification): string {
  const icon = n.state === 'firing' ? ':rotating_light:' : ':white_check_mark:';
  return `${icon} Tollgate alert *${n.rule}* ${n.state === 'firing' ? 'FIRING' : 'resolved'} (${n.subject}): ${n.message}`;
}

export function createWebhookNotifier(options: {
  webhooks: readonly Webhook[];
  fetch?: typeof fetch;
  timeoutMs?: number;
  onError?: (error: unknown, webhook: { format: string; host: string }) => void;
}): Notifier {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const safe = (w: Webhook) => ({ format: w.format, host: new URL(w.url).host });

  async function deliver(w: Webhook, n: AlertNotification): Promise<boolean> {
    const body = w.format === 'slack' ? { text: slackText(n) } : { source: 'tollgate', alert: n };
    try {
      const res = await doFetch(w.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer().catch(() => {});
      if (!res.ok) throw new Error(`webhook answered ${res.status}`);
      return true;
    } catch (error) {
      // The URL may carry a secret: report the host only.
      options.onError?.(new Error(`alert webhook to ${safe(w).host} failed: ${(error as Error).message}`), safe(w));
      return false;
    }
  }

  return {
    async notify(n) {
      const results = await Promise.all(options.webhooks.map((w) => deliver(w, n)));
      return results.filter(Boolean).length;
    },
    describe: () => options.webhooks.map(safe),
  };
}
