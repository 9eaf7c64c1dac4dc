import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { Alerts } from './pages/admin/alerts';
import { Audit, Health } from './pages/admin/audit';
import { Errors } from './pages/admin/errors';
import { Keys } from './pages/admin/keys';
import { Limits } from './pages/admin/limits';
import { Overview } from './pages/admin/overview';
import { Pricing } from './pages/admin/pricing';
import { Prompts } from './pages/admin/prompts';
import { Requests } from './pages/admin/requests';
import { Spend } from './pages/admin/spend';
import { SignIn } from './pages/sign-in';
import { UserHome } from './pages/user-home';
import { session } from './session';
import { useTRPC } from './trpc';

const ADMIN_PAGES: { path: string; label: string; view: () => ReactNode }[] = [
  { path: 'overview', label: 'Overview', view: () => <Overview /> },
  { path: 'spend', label: 'Spend', view: () => <Spend /> },
  { path: 'errors', label: 'Errors', view: () => <Errors /> },
  { path: 'alerts', label: 'Alerts', view: () => <Alerts /> },
  { path: 'requests', label: 'Requests', view: () => <Requests /> },
  { path: 'prompts', label: 'Prompts', view: () => <Prompts /> },
  { path: 'limits', label: 'Limits', view: () => <Limits /> },
  { path: 'pricing', label: 'Pricing', view: () => <Pricing /> },
  { path: 'keys', label: 'API keys', view: () => <Keys /> },
  { path: 'audit', label: 'Audit log', view: () => <Audit /> },
  { path: 'langsmith', label: 'LangSmith', view: () => <Health /> },
];

function useHash(): string {
  const [hash, setHash] = useState(() => window.location.hash.replace(/^#\/?/, ''));
  useEffect(() => {
    const on = () => setHash(window.location.hash.replace(/^#\/?/, ''));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

export function App() {
  const [token, setToken] = useState(session.token());
  const [error, setError] = useState<string | null>(null);
  const queryClient = useQueryClient();
  const signIn = (t: string) => {
    session.signIn(t);
    queryClient.clear();
    setError(null);
    setToken(t);
  };
  const signOut = (reason: string | null = null) => {
    session.signOut();
    queryClient.clear();
    setError(reason);
    setToken(null);
    window.location.hash = '';
  };
  if (!token) return <SignIn onSignIn={signIn} error={error} />;
  return <Shell onSignOut={() => signOut()} onBadToken={signOut} />;
}

function Shell({ onSignOut, onBadToken }: { onSignOut: () => void; onBadToken: (reason: string) => void }) {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { retry: false, staleTime: Number.POSITIVE_INFINITY }));
  const hash = useHash();
  useEffect(() => {
    if (me.isError) onBadToken(me.error.message);
  }, [me.isError, me.error, onBadToken]);
  if (!me.data) return <div className="state">Signing in…</div>;
  const isAdmin = me.data.role === 'admin';
  const page =
    ADMIN_PAGES.find((p) => hash === `admin/${p.path}`) ?? (isAdmin && !me.data.user_id ? ADMIN_PAGES[0] : undefined);
  return (
    <div className="shell">
      <header className="topbar">
        <a href="#/" className="brand">
          Tollgate
        </a>
        <nav aria-label="Main">
          {me.data.user_id && (
            <a href="#/" aria-current={!page ? 'page' : undefined}>
              My spend
            </a>
          )}
          {isAdmin &&
            ADMIN_PAGES.map((p) => (
              <a key={p.path} href={`#/admin/${p.path}`} aria-current={page?.path === p.path ? 'page' : undefined}>
                {p.label}
              </a>
            ))}
        </nav>
        <div className="who">
          <span title={`signed in with ${me.data.via}`}>
            {me.data.user_id ?? 'admin'} · {me.data.role}
          </span>
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main>{isAdmin && page ? page.view() : <UserHome />}</main>
    </div>
  );
}
