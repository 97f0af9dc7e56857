/**
 * The preview harness bundle (dist-preview/preview.js): the app's pages plus
 * everything Grafana would provide at runtime (React, @grafana/ui, …), built
 * with the plugin's own webpack rules so the pages compile exactly as in
 * dist/module.js. Not part of the plugin.
 */
import path from 'path';
import type { Configuration } from 'webpack';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

export const PREVIEW_DIR = path.resolve(__dirname, 'dist-preview');

/** The module of @grafana/runtime that defines `PanelRenderer` and `setPanelRenderer` (preview/host/runtimeInternal.d.ts). */
const RUNTIME_PANEL_RENDERER = path.join(path.dirname(require.resolve('@grafana/runtime/package.json')), 'dist', 'esm', 'components', 'PanelRenderer.mjs');

const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  return {
    ...base,
    cache: { type: 'filesystem', name: 'preview', buildDependencies: { config: [__filename] } },
    entry: { preview: path.resolve(__dirname, 'preview', 'host', 'main.tsx') },
    devtool: false,
    externals: [],
    resolve: { ...base.resolve, alias: { ...base.resolve?.alias, '@grafana/runtime/internal$': RUNTIME_PANEL_RENDERER } },
    module: {
      ...base.module,
      rules: [
        ...(base.module?.rules ?? []),
        // @grafana/ui's Table (geo cells) imports OpenLayers' ESM files without their extension ('ol/format/WKT'), as Grafana's own build allows.
        { test: /\.m?js$/, include: /node_modules/, resolve: { fullySpecified: false } },
        // @grafana/*'s .mjs files import CommonJS packages by their default export (CustomScrollbar: react-custom-scrollbars-2's
        // `exports.default`); as strict ESM, webpack would hand them the whole `module.exports` object and Table would throw.
        { test: /\.mjs$/, include: /node_modules/, type: 'javascript/auto' },
      ],
    },
    // Minified, unused parts of @grafana/ui are dropped: half the bundle, and the page starts much sooner.
    optimization: { ...base.optimization, minimize: true },
    output: { path: PREVIEW_DIR, filename: '[name].js', chunkFilename: '[name].js', publicPath: '/public/preview/', clean: true },
    plugins: [],
    performance: { hints: false },
  };
};

export default config;
