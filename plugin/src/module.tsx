import React from 'react';
import { AppPlugin } from '@grafana/data';
export const plugin = new AppPlugin<{}>().setRootPage(() => <div>hi</div>);
