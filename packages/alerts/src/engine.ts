import { randomUUID } from 'node:crypto';
import type { UsageQueries } from '@tollgate/analytics';
import { type Store, taggedKey } from '@tollgate/store';
import type { Notifier } from './notifier';
import { type AlertRuleId, evaluateRules, type Finding } from './rules';
import type { AlertSettings } from './settings';
import { readSnapshot } from './snapshot';

/** A rule's verdict on a subject (the system, a user, a provider). */
interface AlertCore {
  rule: AlertRuleId;
  subject: string;
  state: 'firing' | 'resolved';
  value: number;
  threshold: number;
  message: string;
}

/** One alert (a rule on a subject) as it stands. */
export interface AlertState extends AlertCore {
  /** When it last started firing, epoch ms. */
  since: number;
  resolvedAt: number | null;
  /** Whether the current (or last) firing was notified; false inside the cooldown. */
  notified: boolean;
  /** When a firing was last notified, for the cooldown. */
  notifiedAt: number | null;
}

export interface AlertHistoryEntry extends AlertCore {
  at: number;
  notified: boolean;
}

export interface AlertEngineOptions {
  store: Store;
  queries: UsageQueries;
  settings: AlertSettings;
  notifier: Notifier;
  /** A firing alert is not notified again within this long of its last notification (flapping). */
  cooldownMs?: number;
  historyCap?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

const keys = {
  state: taggedKey('alerts', 'state'),
  history: taggedKey('alerts', 'history'),
  /** Held for one evaluation interval by the instance whose turn it is. */
  slot: taggedKey('alerts', 'slot'),
  /** Held while an evaluation runs, so two never overlap. */
  running: taggedKey('alerts', 'running'),
};

const PRUNE_RESOLVED_MS = 7 * 86_400_000;

export function createAlertEngine(options: AlertEngineOptions) {
  const { store, notifier } = options;
  const now = options.now ?? Date.now;
  const cooldownMs = options.cooldownMs ?? 30 * 60_000;
  const historyCap = options.historyCap ?? 1_000;
  const instance = randomUUID();
  let timer: NodeJS.Timeout | null = null;

  async function states(): Promise<AlertState[]> {
    const raw = await store.hgetall(keys.state);
    return Object.values(raw)
      .map((json) => JSON.parse(json) as AlertState)
      .sort((a, b) => Number(b.state === 'firing') - Number(a.state === 'firing') || b.since - a.since);
  }

  async function transition(prev: AlertState | undefined, next: AlertState): Promise<AlertState> {
    let notified = next.notified;
    if (next.state === 'firing') {
      const cooling = prev?.notifiedAt != null && next.since - prev.notifiedAt < cooldownMs;
      notified = !cooling && (await notifier.notify({ ...next, state: 'firing', at: next.since })) > 0;
      next = { ...next, notified, notifiedAt: notified ? next.since : (prev?.notifiedAt ?? null) };
    } else if (prev?.notified) {
      // A resolution is worth telling only to whoever was told of the firing.
      notified = (await notifier.notify({ ...next, state: 'resolved', at: next.resolvedAt ?? now() })) > 0;
    } else {
      notified = false;
    }
    const entry: AlertHistoryEntry = {
      at: next.state === 'firing' ? next.since : (next.resolvedAt ?? now()),
      rule: next.rule,
      subject: next.subject,
      state: next.state,
      value: next.value,
      threshold: next.threshold,
      message: next.message,
      notified,
    };
    await store.pushCapped(keys.history, JSON.stringify(entry), historyCap);
    return next;
  }

  /** Evaluates every rule once and applies the transitions. */
  async function evaluateNow(): Promise<AlertState[]> {
    const t = now();
    const thresholds = await options.settings.thresholds();
    const findings = evaluateRules(await readSnapshot(options.queries, thresholds), thresholds);
    const current = new Map((await states()).map((s) => [`${s.rule}|${s.subject}`, s]));
    const updates: Record<string, string> = {};
    const prune: string[] = [];
    const seen = new Set<string>();
    const save = (k: string, s: AlertState) => {
      updates[k] = JSON.stringify(s);
    };

    const apply = async (k: string, prev: AlertState | undefined, f: Finding | null) => {
      if (f?.firing) {
        if (prev?.state === 'firing') save(k, { ...prev, value: f.value, threshold: f.threshold, message: f.message });
        else
          save(
            k,
            await transition(prev, {
              rule: f.rule,
              subject: f.subject,
              state: 'firing',
              value: f.value,
              threshold: f.threshold,
              message: f.message,
              since: t,
              resolvedAt: null,
              notified: false,
              notifiedAt: null,
            }),
          );
      } else if (prev?.state === 'firing') {
        save(
          k,
          await transition(prev, {
            ...prev,
            state: 'resolved',
            resolvedAt: t,
            ...(f && { value: f.value, threshold: f.threshold, message: f.message }),
          }),
        );
      } else if (prev && prev.resolvedAt !== null && t - prev.resolvedAt > PRUNE_RESOLVED_MS) {
        prune.push(k);
      }
    };

    for (const f of findings) {
      const k = `${f.rule}|${f.subject}`;
      seen.add(k);
      await apply(k, current.get(k), f);
    }
    // A firing alert whose rule was disabled or whose subject went quiet is resolved.
    for (const [k, prev] of current) if (!seen.has(k)) await apply(k, prev, null);
    if (Object.keys(updates).length > 0) await store.hset(keys.state, updates);
    if (prune.length > 0) await store.hdel(keys.state, prune);
    return states();
  }

  /** Runs an evaluation unless another instance is running one; returns null when it was not this one's turn. */
  async function runExclusive(): Promise<AlertState[] | null> {
    if (!(await store.set(keys.running, instance, { ttlMs: 60_000, onlyIfAbsent: true }))) return null;
    try {
      return await evaluateNow();
    } finally {
      if ((await store.get(keys.running)) === instance) await store.del(keys.running);
    }
  }

  return {
    states,
    async history(limit = 100): Promise<AlertHistoryEntry[]> {
      return (await store.range(keys.history, 0, limit - 1)).map((j) => JSON.parse(j) as AlertHistoryEntry);
    },
    /** Admin's "evaluate now": runs unless an evaluation is already under way. */
    evaluate: runExclusive,
    /**
     * One scheduled tick: the first instance to claim this interval's slot evaluates; the others
     * skip it. Together with the running lock, one instance at a time evaluates, once per interval.
     */
    async tick(intervalMs: number): Promise<AlertState[] | null> {
      const slot = Math.max(1_000, Math.floor(intervalMs * 0.9));
      if (!(await store.set(keys.slot, instance, { ttlMs: slot, onlyIfAbsent: true }))) return null;
      return runExclusive();
    },
    start(intervalMs: number): void {
      if (timer || intervalMs <= 0) return;
      timer = setInterval(() => {
        this.tick(intervalMs).catch((error: unknown) => options.onError?.(error));
      }, intervalMs);
      timer.unref();
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },
    webhooks: () => notifier.describe(),
    test: (message = 'Test notification from Tollgate') =>
      notifier.notify({
        rule: 'test',
        subject: 'system',
        state: 'firing',
        value: 0,
        threshold: 0,
        message,
        since: now(),
        at: now(),
      }),
  };
}

export type AlertEngine = ReturnType<typeof createAlertEngine>;
