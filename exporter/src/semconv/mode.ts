import { SEMCONV_MODES, SEMCONV_OPT_IN_ENV, semconvModeFromOptIn, type SemconvMode } from '@modelwatch/conventions';
import { schemaOf } from '../options/schema';

/** The `semconv` option: one of the modes, by name. */
export const SEMCONV_OPTION = schemaOf(SEMCONV_MODES.map((mode) => JSON.stringify(mode)).join(', ').replace(/, ([^,]*)$/, ' or $1'), (v) =>
  (SEMCONV_MODES as readonly unknown[]).includes(v),
);

/** The option when given, else what `OTEL_SEMCONV_STABILITY_OPT_IN` asks for (see semconvModeFromOptIn), else `legacy`. */
export function resolveSemconvMode(option: SemconvMode | undefined, env: NodeJS.ProcessEnv = process.env): SemconvMode {
  return option ?? semconvModeFromOptIn(env[SEMCONV_OPT_IN_ENV]);
}
