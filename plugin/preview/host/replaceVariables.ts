/**
 * What Grafana's template service (`getTemplateSrv().replace`) does with the
 * variables a panel's data links use on an app page, where no dashboard and no
 * scene is active: the legacy path of grafana/grafana
 * public/app/features/templating/template_srv.ts (`replace` →
 * `_evaluateVariableExpression`: a scoped variable first, else a macro of
 * macroRegistry.ts, else the text is left as it is).
 *
 * - `${__data.fields.<name>}` (dataMacros.ts `dataMacro`): the row's value of
 *   that field, through the field's display processor (so with its unit), by
 *   `getFieldDisplayValuesProxy`; the format is not applied (Grafana does not).
 * - `${__field.labels.<label>}`, `${__field.name}`, `${__field.displayName}`
 *   (`fieldMacro`, templateProxies.ts `getTemplateProxyForField`); format not applied either.
 * - `${__value.raw|numeric|text|time}` and `${__value}` (`valueMacro`): the row's
 *   or the reduced value, formatted with the format (`formatVariableValue`).
 * - `${__series.name}` (`seriesNameMacro`).
 * - Scoped variables (`scopedVars.<name>.value`, lodash paths) formatted too.
 *
 * Data links pass `VariableFormatID.UriEncode` for the URL (@grafana/data
 * `getLinksSupplier`) and no format for the title.
 */
import { formatLabels, getDisplayProcessor, getFieldDisplayName, getFieldDisplayValuesProxy, getFrameDisplayName, formattedValueToString, FieldType, type DataFrame, type Field, type InterpolateFunction, type ScopedVars } from '@grafana/data';
import { VariableFormatID } from '@grafana/schema';
import { property } from 'lodash';

/** template_srv.ts's variable syntax: `$name`, `[[name:fmt]]`, `${name.path:fmt}`. */
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\${(\w+)(?:\.([^:^}]+))?(?::([^}]+))?}/g;

type Format = string | ((value: unknown, variable?: unknown, formatValue?: unknown) => string) | undefined;

interface DataContextValue {
  data?: DataFrame[];
  frame: DataFrame;
  frameIndex?: number;
  field: Field;
  rowIndex?: number;
  calculatedValue?: { numeric: number; text: string; prefix?: string; suffix?: string };
}

export const replaceVariables: InterpolateFunction = (target, scopedVars, format) => {
  if (!target) return target ?? '';
  return target.replace(VARIABLE, (match, var1?: string, var2?: string, fmt2?: string, var3?: string, fieldPath?: string, fmt3?: string) => {
    const name = var1 || var2 || var3 || '';
    const fmt: Format = fmt2 || fmt3 || (format as Format);
    return evaluate(match, name, fieldPath, fmt, scopedVars);
  });
};

function evaluate(match: string, name: string, fieldPath: string | undefined, format: Format, scopedVars: ScopedVars | undefined): string {
  const scoped = scopedVars?.[name];
  if (scoped) {
    const value = fieldPath ? property(fieldPath)(scoped.value) : scoped.value;
    if (value !== null && value !== undefined) return formatVariableValue(value, format);
  }
  const context = scopedVars?.__dataContext?.value as DataContextValue | undefined;
  switch (name) {
    case '__value':
      return context ? formatVariableValue(valueMacro(match, fieldPath, context), format) : match;
    case '__data':
      return context && fieldPath ? dataMacro(match, fieldPath, context) : match;
    case '__field':
      return context && fieldPath ? String(property(fieldPath)(fieldProxy(context)) ?? '') : match;
    case '__series':
      return context && fieldPath === 'name' ? formatVariableValue(getFrameDisplayName(context.frame, context.frameIndex), format) : match;
    default:
      return match;
  }
}

function valueMacro(match: string, fieldPath: string | undefined, { frame, field, rowIndex, calculatedValue }: DataContextValue): unknown {
  if (calculatedValue) {
    if (fieldPath === 'numeric') return calculatedValue.numeric.toString();
    if (fieldPath === 'raw') return calculatedValue.numeric;
    if (fieldPath === 'time') return '';
    return formattedValueToString(calculatedValue);
  }
  if (rowIndex === undefined) return match;
  if (fieldPath === 'time') return frame.fields.find((f) => f.type === FieldType.time)?.values[rowIndex];
  const value: unknown = field.values[rowIndex];
  if (fieldPath === 'raw') return value;
  const shown = (field.display ?? getDisplayProcessor())(value);
  if (fieldPath === 'numeric') return shown.numeric;
  if (fieldPath === 'text') return shown.text;
  return formattedValueToString(shown);
}

function dataMacro(match: string, fieldPath: string, { frame, rowIndex }: DataContextValue): string {
  if (rowIndex === undefined) return match;
  const data = { name: frame.name, refId: frame.refId, fields: getFieldDisplayValuesProxy({ frame, rowIndex }) };
  return String(property(fieldPath)(data) ?? '');
}

/** templateProxies.ts `getTemplateProxyForField`. */
function fieldProxy({ field, frame, data }: DataContextValue): object {
  return {
    name: field.name,
    get displayName() {
      return getFieldDisplayName(field, frame, data);
    },
    labels: field.labels
      ? { ...field.labels, __values: Object.values(field.labels).sort().join(', '), toString: () => formatLabels(field.labels ?? {}, '', true) }
      : '',
  };
}

/** formatVariableValue.ts with the formats data links use (@grafana/scenes formatRegistry); others fall back to glob, as there. */
export function formatVariableValue(value: unknown, format: Format): string {
  if (value === null || value === undefined) return '';
  let shown: unknown = value;
  if (!Array.isArray(shown) && typeof shown === 'object') shown = String(shown);
  if (typeof format === 'function') return format(shown);
  const [id = VariableFormatID.Glob] = (format ?? VariableFormatID.Glob).split(':');
  const joined = Array.isArray(shown) ? `{${shown.join(',')}}` : String(shown);
  switch (id) {
    case VariableFormatID.UriEncode:
      return encodeURIStrict(joined);
    case VariableFormatID.PercentEncode:
      return encodeURIComponentStrict(joined);
    case VariableFormatID.Raw:
    case VariableFormatID.Text:
      return Array.isArray(shown) ? shown.join(' + ') : String(shown);
    case VariableFormatID.Glob:
      return Array.isArray(shown) && shown.length > 1 ? joined : String(shown);
    default:
      console.error(`Variable format ${id} not found. Using glob format as fallback.`);
      return Array.isArray(shown) && shown.length > 1 ? joined : String(shown);
  }
}

/** @grafana/scenes `encodeURIStrict`: encodeURI plus the characters RFC 3986 reserves that it leaves. */
function encodeURIStrict(value: string): string {
  return encodeURI(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function encodeURIComponentStrict(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
