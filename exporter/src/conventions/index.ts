/**
 * `@modelwatch/exporter/conventions`: the Modelwatch contract, re-exported from
 * `@modelwatch/conventions` (its own dependency-free package) for the apps that
 * install only the exporter.
 */
export * from '@modelwatch/conventions';
