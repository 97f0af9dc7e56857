/** provisioning/plugins: enables the Modelwatch app with settings pointing at the provisioned data sources. */
import { APP_PLUGIN_ID, DATASOURCE_UID, type AppSettings } from '@modelwatch/conventions';

export function appPluginProvisioning() {
  const jsonData: AppSettings = {
    prometheusUid: DATASOURCE_UID.prometheus,
    alertmanagerUid: DATASOURCE_UID.alertmanager,
  };
  return { apiVersion: 1, apps: [{ type: APP_PLUGIN_ID, org_id: 1, disabled: false, jsonData }] };
}
