import {
  Badge,
  createTheme,
  defaultVariantColorsResolver,
  Drawer,
  MantineProvider,
  Modal,
  NavLink,
  Notification,
  parseThemeColor,
  type CSSVariablesResolver,
  type VariantColorsResolverInput,
} from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { SessionGate } from './session/session-gate';
import { createWardlineClient, TRPCProvider } from './trpc/client';

// Mantine's light and subtle variants put shade-6 text on a pale background, under AA contrast.
// Darkest shade instead; yellow, orange and green stay too light even then, so they get black text.
// Their hover background is shade 1, not Mantine's light-hover (shade 2 here), under which even
// the darkest text falls short (4.0:1).
const DARK_TEXT_COLOURS = new Set(['yellow', 'orange', 'lime', 'green', 'teal']);

function readableVariantColors(input: VariantColorsResolverInput) {
  const colors = defaultVariantColorsResolver(input);
  if (input.variant !== 'light' && input.variant !== 'subtle') return colors;
  const parsed = parseThemeColor({
    color: input.color ?? input.theme.primaryColor,
    theme: input.theme,
  });
  if (!parsed.isThemeColor) return colors;
  const text = DARK_TEXT_COLOURS.has(parsed.color)
    ? 'var(--mantine-color-black)'
    : `var(--mantine-color-${parsed.color}-9)`;
  return {
    ...colors,
    color: text,
    hoverColor: text,
    hover: `var(--mantine-color-${parsed.color}-1)`,
  };
}

// Readable at a glance on a ward workstation, and WCAG AA contrast everywhere (axe checks it in
// test/e2e/accessibility.test.ts): darker shades than Mantine's defaults, dimmed text gray.7.
const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  autoContrast: true,
  luminanceThreshold: 0.45,
  fontSizes: { sm: '0.9rem' },
  focusRing: 'always',
  // Modals and drawers appear at once for people who ask their system for less motion.
  respectReducedMotion: true,
  variantColorResolver: readableVariantColors,
  components: {
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss' } },
    }),
    Badge: Badge.extend({ defaultProps: { variant: 'light' } }),
    // With a variant named, the current entry takes its colours (hover included) from the
    // readable resolver above instead of Mantine's defaults, which fail contrast under a pointer.
    NavLink: NavLink.extend({ defaultProps: { variant: 'light' } }),
  },
});

const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    // A field's error message in Mantine's red-6 fails WCAG AA contrast on white; red-9 passes.
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {},
});

function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      // The main process is local: a failed call will not succeed by retrying it blindly.
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 },
      // A finished change's input and answer (a patient's details) go as soon as no screen shows
      // them, rather than waiting minutes in memory: the workstation is shared (issue 15).
      mutations: { retry: false, gcTime: 0 },
    },
  });
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(createWardlineClient);
  return (
    <MantineProvider
      theme={theme}
      defaultColorScheme="light"
      cssVariablesResolver={cssVariablesResolver}
    >
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
