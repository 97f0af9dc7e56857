/** The message a page or panel shows instead of numbers: what is wrong and what to do. */
import React from 'react';
import { Alert } from '@grafana/ui';
import { INFO_KINDS, PROBLEM_TEXT, type DataProblemKind } from '../data/errors';

export function StateMessage({ kind, detail, compact }: { kind: DataProblemKind; detail?: string; compact?: boolean }) {
  const text = PROBLEM_TEXT[kind];
  return (
    <div data-testid={`state-${kind}`}>
      <Alert title={text.title} severity={INFO_KINDS.has(kind) ? 'info' : 'warning'} bottomSpacing={compact ? 0 : 2}>
        <div>{text.advice}</div>
        {detail && <div style={{ opacity: 0.8, marginTop: 4, wordBreak: 'break-word' }}>{detail}</div>}
      </Alert>
    </div>
  );
}
