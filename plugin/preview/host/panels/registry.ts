/**
 * The option registries Grafana core fills at start-up (grafana/grafana
 * public/app/core/components/OptionsUI/registry.tsx: `getAllOptionEditors`,
 * `getAllStandardFieldConfigs`), which @grafana/data leaves empty. They matter
 * outside the editor too: `applyFieldOverrides` copies a `fieldConfig.defaults`
 * property onto the fields only when the registry knows it, and
 * `getPanelOptionsWithDefaults` drops unknown ones. The harness has no panel
 * editor, so the editors are empty components; the processing (`process`,
 * `shouldApply`, `defaultValue`) is Grafana's.
 */
import {
  FieldConfigProperty,
  FieldType,
  ThresholdsMode,
  dataLinksOverrideProcessor,
  displayNameOverrideProcessor,
  identityOverrideProcessor,
  numberOverrideProcessor,
  standardEditorsRegistry,
  standardFieldConfigEditorRegistry,
  stringOverrideProcessor,
  thresholdsOverrideProcessor,
  valueMappingsOverrideProcessor,
  booleanOverrideProcessor,
  type FieldConfigPropertyItem,
  type StandardEditorsRegistryItem,
} from '@grafana/data';

/** Stands in for every option editor: nothing is edited in the harness. */
export const NoEditor = () => null;

/** The editor ids the option builders (`addRadio`, `addSliderInput`, … of @grafana/data) look up. */
const EDITOR_IDS = ['text', 'number', 'slider', 'boolean', 'radio', 'select', 'unit', 'links', 'actions', 'stats-picker', 'strings', 'timezone', 'fieldColor', 'color', 'multi-select', 'field-name', 'dashboard-uid', 'mappings', 'thresholds'];

type Item = FieldConfigPropertyItem<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const isNumber = (field: { type: FieldType }) => field.type === FieldType.number;
const always = () => true;

function standardFieldConfigs(): Item[] {
  const item = (id: FieldConfigProperty, process: Item['process'], rest: Partial<Item> = {}): Item => ({
    id,
    path: id,
    name: id,
    editor: NoEditor,
    override: NoEditor,
    process,
    shouldApply: always,
    category: ['Standard options'],
    ...rest,
  });
  return [
    item(FieldConfigProperty.Unit, stringOverrideProcessor, { settings: { placeholder: 'none' } }),
    item(FieldConfigProperty.Min, numberOverrideProcessor, { shouldApply: isNumber }),
    item(FieldConfigProperty.Max, numberOverrideProcessor, { shouldApply: isNumber }),
    item(FieldConfigProperty.FieldMinMax, booleanOverrideProcessor, { shouldApply: isNumber }),
    item(FieldConfigProperty.Decimals, numberOverrideProcessor, { shouldApply: isNumber, settings: { min: 0, max: 15, integer: true } }),
    item(FieldConfigProperty.DisplayName, displayNameOverrideProcessor, { settings: { expandTemplateVars: true } }),
    item(FieldConfigProperty.Color, identityOverrideProcessor, { settings: { byValueSupport: true, preferThresholdsMode: true } }),
    item(FieldConfigProperty.NoValue, stringOverrideProcessor),
    item(FieldConfigProperty.Links, dataLinksOverrideProcessor, { category: ['Data links'] }),
    item(FieldConfigProperty.Mappings, valueMappingsOverrideProcessor, { defaultValue: [], shouldApply: (field) => field.type !== FieldType.time, category: ['Value mappings'] }),
    item(FieldConfigProperty.Thresholds, thresholdsOverrideProcessor, {
      defaultValue: { mode: ThresholdsMode.Absolute, steps: [{ value: -Infinity, color: 'green' }, { value: 80, color: 'red' }] },
      category: ['Thresholds'],
    }),
  ];
}

let registered = false;

/** Fills both registries once; the panel plugins' field config is built from them. */
export function registerStandardOptions(): void {
  if (registered) return;
  registered = true;
  standardEditorsRegistry.setInit((): StandardEditorsRegistryItem[] => EDITOR_IDS.map((id) => ({ id, name: id, editor: NoEditor })));
  standardFieldConfigEditorRegistry.setInit(standardFieldConfigs);
}
