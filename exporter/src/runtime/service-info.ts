import { nonEmptyString, objectOf, type Shape } from '../options/schema';

/** What `target_info` says of the service. */
export interface ServiceInfo {
  /** `service.name`. @defaultValue `OTEL_SERVICE_NAME`, else `service.name` in `OTEL_RESOURCE_ATTRIBUTES` */
  name?: string;
  /** `service.version`: the deploy-regression alerts compare versions by it. @defaultValue `service.version` in `OTEL_RESOURCE_ATTRIBUTES` */
  version?: string;
}

export const SERVICE_INFO_OPTIONS = objectOf<ServiceInfo>({ name: nonEmptyString, version: nonEmptyString } satisfies Shape<ServiceInfo>);

/**
 * The service's name and version: the option's, else what the OpenTelemetry SDK reads from the
 * environment (`OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES=service.name=…,service.version=…`),
 * so one setting serves both the traces and `target_info`. A malformed attribute list is ignored.
 */
export function resolveServiceInfo(option: ServiceInfo = {}, env: NodeJS.ProcessEnv = process.env): ServiceInfo {
  const attributes = resourceAttributes(env.OTEL_RESOURCE_ATTRIBUTES ?? '');
  const info: ServiceInfo = {};
  const name = option.name ?? nonEmpty(env.OTEL_SERVICE_NAME) ?? attributes.get('service.name');
  const version = option.version ?? attributes.get('service.version');
  if (name !== undefined) info.name = name;
  if (version !== undefined) info.version = version;
  return info;
}

/** `key=value,key2=value2`, values percent-encoded (the OpenTelemetry resource SDK's format). */
function resourceAttributes(list: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const pair of list.split(',')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    try {
      attributes.set(pair.slice(0, equals).trim(), decodeURIComponent(pair.slice(equals + 1).trim()));
    } catch {
      // A bad escape: the SDK drops the attribute too.
    }
  }
  return attributes;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
