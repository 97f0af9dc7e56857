/** Bounds that keep the kit's own cost fixed whatever the host app sends it. */

/** Distinct label sets a labelled metric keeps before folding new ones into `_other`. */
export const DEFAULT_SERIES_CAP = 1000;

/** Label values longer than this are cut (prompts or ids must never become labels). */
export const MAX_LABEL_VALUE_LENGTH = 128;

/**
 * Raw label tuples remembered for the fast lookup path, as a multiple of the
 * series cap. Past it, new raw tuples are still sanitised and folded, just not cached,
 * so a flood of distinct raw values cannot grow memory.
 */
export const RAW_LOOKUP_CACHE_FACTOR = 4;

/** Tenants that keep series of their own in the attributed cost and token counters (the top spenders); the rest fold into `_other`. */
export const DEFAULT_ATTRIBUTED_TENANTS = 50;

/** Distinct features kept in the attributed counters; later ones fold into `_other`. */
export const DEFAULT_ATTRIBUTED_FEATURES = 20;
