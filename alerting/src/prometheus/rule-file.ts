/** Prometheus rule-file types (rulefmt), built as objects and turned into YAML at the edge. */
export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: (RecordingRule | AlertingRule)[];
}

export interface RuleFile {
  groups: RuleGroup[];
}
