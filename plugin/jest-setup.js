// Jest setup provided by Grafana scaffolding
import './.config/jest-setup';
import { configure } from '@testing-library/react';

// findBy… and waitFor wait for a page's data and render for up to 1 s by default, which a loaded host overran;
// they return as soon as the element is there, so a longer bound costs a passing test nothing.
configure({ asyncUtilTimeout: 10_000 });

// @grafana/ui's Combobox sizes its menu with canvas text metrics, which jsdom lacks.
HTMLCanvasElement.prototype.getContext = () => ({ measureText: (text) => ({ width: String(text).length * 7 }), font: '' });

// The pages size their panels from their container (react-use's useMeasure, a ResizeObserver), which jsdom lacks:
// every observed element reports a 1000 × 400 box, so panels render at a plausible size.
global.ResizeObserver = class {
  constructor(callback) {
    this.callback = callback;
  }
  observe(target) {
    const box = [{ inlineSize: 1000, blockSize: 400 }];
    this.callback([{ target, contentRect: { x: 0, y: 0, top: 0, left: 0, bottom: 400, right: 1000, width: 1000, height: 400 }, contentBoxSize: box, borderBoxSize: box }], this);
  }
  unobserve() {}
  disconnect() {}
};
