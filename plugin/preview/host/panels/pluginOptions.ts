/**
 * Helpers to declare a panel plugin's options the way Grafana's own panel
 * modules do (`setPanelOptions`, `useFieldConfig` with custom properties), so
 * `getPanelOptionsWithDefaults` and `applyFieldOverrides` treat the harness's
 * panels as Grafana treats the core ones: defaults filled in, unknown
 * properties dropped.
 */
import { identityOverrideProcessor, type FieldConfigEditorBuilder, type PanelOptionsEditorBuilder, type Field } from '@grafana/data';
import { NoEditor } from './registry';

/** Top-level panel options with their defaults (the values of @grafana/schema's `defaultOptions` of each panelcfg). */
export function addOptionDefaults<T extends object>(builder: PanelOptionsEditorBuilder<T>, defaults: Record<string, unknown>): void {
  for (const [path, defaultValue] of Object.entries(defaults)) {
    builder.addCustomEditor({ id: path, path, name: path, defaultValue, editor: NoEditor } as never);
  }
}

/** Custom field config properties (`fieldConfig.defaults.custom.<path>`), processed as given. */
export function addCustomFieldConfig<T>(builder: FieldConfigEditorBuilder<T>, properties: Record<string, unknown>, shouldApply: (field: Field) => boolean = () => true): void {
  for (const [path, defaultValue] of Object.entries(properties)) {
    builder.addCustomEditor({
      id: path,
      path,
      name: path,
      ...(defaultValue === undefined ? {} : { defaultValue }),
      editor: NoEditor,
      override: NoEditor,
      process: identityOverrideProcessor,
      shouldApply,
    } as never);
  }
}
