/**
 * The scaffold's webpack config (.config/, left untouched), the documented
 * place to extend it. No dashboards are bundled: plugin.json `includes` of type
 * dashboard would be imported by Grafana itself, with overwrite, into the
 * General folder whenever the plugin's version changes
 * (pkg/services/plugindashboards/service/dashboard_updater.go in
 * grafana/grafana, updateAppDashboards → syncPluginDashboards), racing the file
 * provisioning that loads the same dashboards, with the same uids, into the
 * Modelwatch folder (provisioning/dashboards). File provisioning is the one
 * mechanism.
 */
import type { Configuration } from 'webpack';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

const config = async (env: Env): Promise<Configuration> => grafanaConfig(env);

export default config;
