export type { StartedTrace, TraceEndInfo, TraceStartInfo } from './completion-tracer';
export { type TracingConfig, TracingConfigError, validateTracingConfig } from './config';
export type { TraceStats } from './gate';
export {
  type CreateTraceOptions,
  createTracing,
  disabledTracing,
  type Tracing,
  type TracingHealth,
} from './langsmith-tracing';
