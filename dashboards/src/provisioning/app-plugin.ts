/** provisioning/plugins: enables the Modelwatch app with settings pointing at the provisioned data sources. */
import { APP_PLUGIN_ID, DATASOURCE_UID, type AppSettings, type SemconvMode } from '@modelwatch/conventions';

/** `mode`: the GenAI names the exporters write, for the app's pages; legacy (the default) is left unset. */
export function appPluginProvisioning(mode: SemconvMode = 'legacy') {
  const jsonData: AppSettings = {
    prometheusUid: DATASOURCE_UID.prometheus,
    alertmanagerUid: DATASOURCE_UID.alertmanager,
    ...(mode === 'legacy' ? {} : { semconv: mode }),
  };
  return { apiVersion: 1, apps: [{ type: APP_PLUGIN_ID, org_id: 1, disabled: false, jsonData }] };
}
