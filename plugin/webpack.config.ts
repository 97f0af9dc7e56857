/**
 * The scaffold's webpack config (.config/, left untouched) plus the bundled
 * dashboards: the generated dashboard JSON of the dashboards workspace is
 * copied into dist/dashboards/, where plugin.json `includes` points.
 */
import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

const GENERATED_DASHBOARDS = path.resolve(__dirname, '..', 'dashboards', 'generated');

const config = async (env: Env): Promise<Configuration> =>
  merge(await grafanaConfig(env), {
    plugins: [new CopyWebpackPlugin({ patterns: [{ from: path.join(GENERATED_DASHBOARDS, '*.json'), to: 'dashboards/[name][ext]' }] })],
  });

export default config;
