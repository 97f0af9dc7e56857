/**
 * Misuse that leaves metrics silently missing is reported, once per instance and
 * code, through the `warn` option: by default as a Node.js process warning
 * (`process.emitWarning`, printed to stderr and seen by `process.on('warning')`).
 */
export const WARNING_CODE = {
  /** Express routes registered before `app.use(mw.express())`: their requests never reach the middleware. */
  expressRoutesBeforeMiddleware: 'MODELWATCH_EXPRESS_ROUTES_BEFORE_MIDDLEWARE',
  /** A second `createModelwatch()` in one process: two registries, and a `/metrics` that shows only one. */
  secondInstance: 'MODELWATCH_SECOND_INSTANCE',
  /** `instrumentOpenAI`/`instrumentAnthropic`/`instrumentGoogleGenAI` called again on a client already instrumented. */
  clientInstrumentedTwice: 'MODELWATCH_CLIENT_INSTRUMENTED_TWICE',
  /** `mw.attribute()` on an instance created without `attribution`: its calls are not attributed. */
  attributionOff: 'MODELWATCH_ATTRIBUTION_OFF',
} as const;

export type WarningCode = (typeof WARNING_CODE)[keyof typeof WARNING_CODE];

export interface ModelwatchWarning {
  /** Stable code, listed in the README's troubleshooting section. */
  code: WarningCode;
  /** What went wrong and how to fix it. */
  message: string;
}

export type WarningHandler = (warning: ModelwatchWarning) => void;

/** The default handler: a process warning named `ModelwatchWarning` carrying the code. */
export function emitProcessWarning(warning: ModelwatchWarning): void {
  process.emitWarning(warning.message, { type: 'ModelwatchWarning', code: warning.code });
}

/** One instance's warnings: each code is reported once; a throwing handler never reaches the app. */
export class Warnings {
  private readonly reported = new Set<WarningCode>();

  constructor(private readonly handler: WarningHandler = emitProcessWarning) {}

  once(code: WarningCode, message: string): void {
    if (this.reported.has(code)) return;
    this.reported.add(code);
    try {
      this.handler({ code, message });
    } catch {
      // The warning is advice; a broken handler must not turn it into a failure.
    }
  }
}
