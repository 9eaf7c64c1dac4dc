import type { ReactNode } from 'react';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function ErrorState({ error, retry }: { error: { message: string } | null; retry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <strong>Could not load this.</strong> {error?.message ?? 'Unknown error'}
      {retry && (
        <button type="button" className="link" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

/** Renders loading, error and empty states around a query's data. */
export function QueryView<T>(props: {
  query: {
    data: T | undefined;
    isLoading: boolean;
    isError: boolean;
    error: { message: string } | null;
    refetch: () => unknown;
  };
  empty?: (data: T) => boolean;
  emptyText?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { query } = props;
  if (query.isLoading) return <Loading />;
  if (query.isError || query.data === undefined)
    return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  if (props.empty?.(query.data)) return <Empty>{props.emptyText ?? 'Nothing here yet.'}</Empty>;
  return <>{props.children(query.data)}</>;
}
