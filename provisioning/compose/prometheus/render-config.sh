#!/bin/sh
# Writes the Prometheus config docker-compose runs: config/prometheus.yml (the
# same file `npm start` uses) as it is, plus a `remote_write` section when
# PROMETHEUS_REMOTE_WRITE_URL is set (the `scale` profile: VictoriaMetrics).
# Usage: render-config.sh <config/prometheus.yml> <output file>
set -eu
input=$1
output=$2
cp "$input" "$output"
if [ -n "${PROMETHEUS_REMOTE_WRITE_URL:-}" ]; then
  # config/prometheus.yml has no remote_write section, so appending one is enough.
  awk 'BEGIN {
    url = ENVIRON["PROMETHEUS_REMOTE_WRITE_URL"]
    print ""
    print "# Added by provisioning/compose/prometheus/render-config.sh (PROMETHEUS_REMOTE_WRITE_URL)."
    print "remote_write:"
    print "  - url: \"" url "\""
  }' >> "$output"
fi
