/**
 * `@grafana/runtime/internal` is how Grafana core reaches the runtime's
 * setters; the published package drops that entry from its `exports` (see the
 * comment atop its dist/types/internal/index.d.ts), so the preview bundle and
 * the Jest config map the name onto the module that defines `PanelRenderer`
 * (webpack.preview.config.ts `resolve.alias`, jest.config.js
 * `moduleNameMapper`) — the same module instance `@grafana/runtime` re-exports.
 */
declare module '@grafana/runtime/internal' {
  import type { ComponentType } from 'react';
  import type { PanelRendererProps } from '@grafana/runtime';

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  export function setPanelRenderer(renderer: ComponentType<PanelRendererProps<any, any>>): void;
}
