import { QueryClientProvider } from '@tanstack/react-query';
import { TollgateProvider } from '@tollgate/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import './styles.css';
import { queryClient, trpcClient } from './trpc';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <TollgateProvider trpcClient={trpcClient} queryClient={queryClient}>
          <App />
        </TollgateProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
