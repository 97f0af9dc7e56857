/** The harness's own header: what this page is, and a theme switch (Grafana's user preference, here a URL parameter). */
import React from 'react';
import { Button, useTheme2 } from '@grafana/ui';

export function HostBar({ mode }: { mode: 'light' | 'dark' }) {
  const theme = useTheme2();
  const toggle = () => {
    const url = new URL(window.location.href);
    url.searchParams.set('theme', mode === 'dark' ? 'light' : 'dark');
    window.location.assign(url.toString());
  };
  return (
    <header
      style={{ display: 'flex', alignItems: 'center', gap: 16, padding: '12px 24px', borderBottom: `1px solid ${theme.colors.border.weak}`, background: theme.colors.background.primary }}
      data-theme={mode}
    >
      <strong>Modelwatch Health</strong>
      <span style={{ color: theme.colors.text.secondary }}>preview outside Grafana</span>
      <span style={{ marginLeft: 'auto' }} />
      <Button size="sm" variant="secondary" onClick={toggle} data-testid="theme-toggle">
        {mode === 'dark' ? 'Light theme' : 'Dark theme'}
      </Button>
    </header>
  );
}
