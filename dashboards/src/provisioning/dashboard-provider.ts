/** provisioning/dashboards: loads the generated dashboards into the Modelwatch folder. */
import { GRAFANA_FOLDER } from '@modelwatch/exporter/conventions';

/** Where docker-compose mounts dashboards/generated inside the Grafana container. */
export const GRAFANA_DASHBOARDS_PATH = '/var/lib/grafana/dashboards/modelwatch';

export function dashboardProviderProvisioning() {
  return {
    apiVersion: 1,
    providers: [
      {
        name: 'modelwatch',
        orgId: 1,
        type: 'file',
        folder: GRAFANA_FOLDER.title,
        folderUid: GRAFANA_FOLDER.uid,
        disableDeletion: true,
        // The JSON is generated: changes made in the UI would be lost at the next generation.
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: GRAFANA_DASHBOARDS_PATH, foldersFromFilesStructure: false },
      },
    ],
  };
}
