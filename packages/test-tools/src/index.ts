export type { HubCommit } from './fake-langsmith/hub';
export { type FakeLangSmith, type LangSmithFault, type RecordedRun, startFakeLangSmith } from './fake-langsmith/server';
export type { Fault } from './fake-upstream/scenario';
export {
  type FakeUpstream,
  type FakeUpstreamOptions,
  type RecordedRequest,
  startFakeUpstream,
} from './fake-upstream/server';
export { freePort, type PrivateRedis, startPrivateRedis } from './redis-server';
export { countSocketWrites } from './socket-writes';
export { type ReceivedWebhook, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver/server';
