#!/bin/sh
# Writes the Prometheus config docker-compose runs: config/prometheus.yml (the
# same file `npm start` uses), its rule files copied beside it at the same
# relative paths, plus a `remote_write` section when PROMETHEUS_REMOTE_WRITE_URL
# is set (the `scale` profile: VictoriaMetrics).
#
# The generated rules link to Grafana at http://localhost:3000/
# (alerting/src/catalogue/settings.ts, grafanaUrl); with MODELWATCH_GRAFANA_URL
# set (compose: Grafana's root URL, http://localhost:$GRAFANA_PORT/) the copies
# link there instead, so a changed GRAFANA_PORT does not break the dashboard and
# app links of every alert. The copies are made at start: after regenerating the
# rules, `docker compose restart prometheus`.
# Usage: render-config.sh <config/prometheus.yml> <output file>
set -eu
input=$1
output=$2
input_dir=$(cd "$(dirname "$input")" && pwd)
mkdir -p "$(dirname "$output")"
output_dir=$(cd "$(dirname "$output")" && pwd)
cp "$input" "$output"

# rule_files entries: relative globs, resolved against the config's directory.
patterns=$(awk '
  /^rule_files:/ { in_rules = 1; next }
  /^[^ #-]/ { in_rules = 0 }
  in_rules && /^ *- / { sub(/^ *- */, ""); gsub(/["\047]/, ""); print }
' "$input")
for pattern in $patterns; do
  case $pattern in
    /*) echo "render-config.sh: rule_files entry $pattern is absolute; only relative ones are copied" >&2; exit 1 ;;
  esac
  for file in "$input_dir"/$pattern; do
    [ -f "$file" ] || continue
    target=$output_dir/${file#"$input_dir"/}
    mkdir -p "$(dirname "$target")"
    # Plain string search, no sub(): a URL may hold "&" or "\".
    MODELWATCH_GRAFANA_URL=${MODELWATCH_GRAFANA_URL:-} awk '
      BEGIN { from = "http://localhost:3000/"; to = ENVIRON["MODELWATCH_GRAFANA_URL"] }
      {
        line = $0
        if (to != "" && to != from) {
          out = ""
          while ((i = index(line, from)) > 0) { out = out substr(line, 1, i - 1) to; line = substr(line, i + length(from)) }
          line = out line
        }
        print line
      }
    ' "$file" > "$target"
  done
done

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
