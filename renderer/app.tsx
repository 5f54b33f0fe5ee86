import { createTheme, MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { SessionGate } from './session/session-gate';
import { createWardlineClient, TRPCProvider } from './trpc/client';

// Readable at a glance on a ward workstation: slightly larger text, strong focus rings.
const theme = createTheme({
  primaryColor: 'blue',
  fontSizes: { sm: '0.9rem' },
  focusRing: 'always',
  components: {},
});

function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // The main process is local: a failed call will not succeed by retrying it blindly.
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 },
      mutations: { retry: false },
    },
  });
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(createWardlineClient);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      {/* Bottom left, over the navigation: never over a header action or a table's action column. */}
      <Notifications position="bottom-left" containerWidth={320} />
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <SessionGate />
        </TRPCProvider>
      </QueryClientProvider>
    </MantineProvider>
  );
}
