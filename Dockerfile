# The images docker-compose builds, so `docker compose up` needs no npm install
# or build on the host (see README):
#   node-services  the demo, traffic generator and notification sink, built here
#                  from the repo's lockfile;
#   grafana        Grafana 13.1 with the app plugin built here.
# Nothing built on the host goes in: a host's node_modules holds native modules
# (better-sqlite3) compiled for the host's OS and Node ABI ("invalid ELF header"
# on macOS and Windows, NODE_MODULE_VERSION mismatches on Linux,
# WiseLibs/better-sqlite3#929), and .dockerignore keeps node_modules, dist/ and
# .env out of the build context.

# The workspaces' manifests: `npm ci` checks the lockfile against every one.
FROM node:20.19.5-bookworm-slim AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY conventions/package.json conventions/
COPY exporter/package.json exporter/
COPY fake-providers/package.json fake-providers/
COPY report/package.json report/
COPY demo/package.json demo/
COPY testkit/package.json testkit/
COPY stack/package.json stack/
COPY alerting/package.json alerting/
COPY dashboards/package.json dashboards/
COPY plugin/package.json plugin/

# Compilers for native modules without a prebuilt binary for this platform (better-sqlite3 falls back to node-gyp).
FROM manifests AS node-build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
# Only the workspaces the services run, plus the root's TypeScript.
RUN npm ci --no-audit --no-fund --include-workspace-root \
      --workspace=@modelwatch/conventions --workspace=@modelwatch/exporter --workspace=@modelwatch/fake-providers --workspace=@modelwatch/report --workspace=@modelwatch/demo --workspace=@modelwatch/testkit --workspace=@modelwatch/stack
COPY tsconfig.base.json ./
COPY conventions conventions
COPY exporter exporter
COPY fake-providers fake-providers
COPY report report
COPY demo demo
COPY testkit testkit
COPY stack stack
RUN npx tsc -b conventions fake-providers exporter report demo testkit stack

# The services run the built workspaces with the modules installed above (compose gives each its command).
FROM node-build AS node-services

# The app plugin's production bundle (its `build` script's webpack step; the preview harness is not needed here).
FROM manifests AS plugin-build
RUN npm ci --no-audit --no-fund --include-workspace-root --workspace=@modelwatch/conventions --workspace=@modelwatch/plugin
# The build lints with the repo's ESLint config (found upwards from plugin/) and type-checks against the conventions' types.
COPY tsconfig.base.json eslint.config.mjs ./
COPY conventions conventions
COPY plugin plugin
RUN npx tsc -b conventions && cd plugin && npx webpack -c ./webpack.config.ts --env production

# Grafana with the plugin in the image, outside the grafana-data volume (a volume keeps the files of its first start,
# so a plugin there would never be updated). Always present: Grafana's app provisioning fails on a plugin that is not
# installed (pkg/services/provisioning/plugins/config_reader.go, validatePluginsConfig: "app plugin not installed"),
# which a missing plugin/dist bind mount caused. The image's run.sh passes GF_PATHS_PLUGINS as paths.plugins.
FROM grafana/grafana:13.1.0 AS grafana
ENV GF_PATHS_PLUGINS=/usr/share/modelwatch/plugins
COPY --from=plugin-build /app/plugin/dist /usr/share/modelwatch/plugins/modelwatch-health-app
