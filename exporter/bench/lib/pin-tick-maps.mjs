// Preloaded (`--import`) into every server the HTTP suite measures, bare ones included.
//
// Node 20's process.nextTick builds each tick as an object literal with computed
// symbol keys. V8 holds the hidden classes of those objects only weakly: a full GC
// that runs while no tick is queued frees them, the next tick builds new ones, and
// nextTick's property-definition sites turn megamorphic for good. Every later tick
// then defines its properties in the runtime, which costs a hello-world Fastify
// server 25-60 % of its throughput. Which server gets hit depends on GC timing
// alone (a server with only a no-op hook measured 0.42× bare in one run; loading a
// large module after Fastify starts triggers it), so it would swamp what the suite
// is there to compare. bench/README.md has the details.
//
// Keeping one tick object alive keeps its hidden classes, so no server is hit and
// all of them are compared in the fast state.
import { createHook } from 'node:async_hooks';

const hook = createHook({
  init(asyncId, type, triggerAsyncId, resource) {
    if (type !== 'TickObject') return;
    globalThis.__pinnedTickObject = resource;
    hook.disable();
  },
});
hook.enable();
process.nextTick(() => {});
