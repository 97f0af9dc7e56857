/**
 * A single-value panel's item behind its data links, as Grafana's stat and
 * bar gauge panels render them: with links, a context menu opens on click;
 * without, the item as it is.
 */
import React from 'react';
import type { DisplayValueAlignmentFactors, FieldDisplay } from '@grafana/data';
import { DataLinksContextMenu, type DataLinksContextMenuApi, type VizRepeaterRenderValueProps } from '@grafana/ui';

type RenderProps = VizRepeaterRenderValueProps<FieldDisplay, DisplayValueAlignmentFactors>;

export function withDataLinks(render: (props: RenderProps, menu: DataLinksContextMenuApi) => React.JSX.Element) {
  return function RenderValue(props: RenderProps): React.JSX.Element {
    return props.value.hasLinks && props.value.getLinks ? (
      <DataLinksContextMenu links={props.value.getLinks} style={{ flexGrow: 1 }}>
        {(api) => render(props, api)}
      </DataLinksContextMenu>
    ) : (
      render(props, {})
    );
  };
}
