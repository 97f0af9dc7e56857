/** provisioning/dashboards: loads the generated dashboards into the Modelwatch folder. */
import { GRAFANA_FOLDER } from '@modelwatch/conventions';

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
        // By title, no folderUid: Grafana provisions alerting before dashboards (pkg/services/provisioning/provisioning.go,
        // RunInitProvisioners, then Run → ProvisionDashboards), and the rules' folder is created by title with a random uid
        // (pkg/services/provisioning/alerting/rules_provisioner.go, getOrCreateFolderByTitle). The file reader looks a
        // folderUid up by uid, else the folder by title (pkg/services/provisioning/dashboards/file_reader.go,
        // getOrCreateFolder): with a folderUid it would miss that folder and create a second "Modelwatch"
        // (grafana/grafana#87889); by title, dashboards and rules share the one folder and its uid.
        folder: GRAFANA_FOLDER.title,
        disableDeletion: true,
        // The JSON is generated: changes made in the UI would be lost at the next generation.
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { path: GRAFANA_DASHBOARDS_PATH, foldersFromFilesStructure: false },
      },
    ],
  };
}
