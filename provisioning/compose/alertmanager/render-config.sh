#!/bin/sh
# Writes the Alertmanager config docker-compose runs. Every receiver of the
# input delivers to the local notification sink (http://127.0.0.1:9099) unless
# a secret is set in the environment (.env):
#   PAGERDUTY_ROUTING_KEY  PagerDuty receivers read this routing key from a file
#                          (routing_key_file) and post to PagerDuty's own
#                          Events API v2 URL;
#   SLACK_WEBHOOK_URL      Slack receivers read this incoming webhook from a
#                          file (api_url_file).
#   FAILOVER_WEBHOOK_TOKEN the demo's failover webhook token, read from a file
#                          (credentials_file) instead of the local placeholder.
# With MODELWATCH_NOTIFIER=grafana, Grafana's rules notify and every receiver
# stays on the sink whatever secrets are set, so no alert pages twice (see
# provisioning/compose/grafana/start.sh).
# Secrets go to files of their own (mode 600, in secrets/ beside the output),
# never into the rendered config, which Alertmanager shows at /api/v2/status
# and which ends up in logs and bug reports.
# Relative `templates:` paths are made absolute (against the input's directory),
# since the rendered file lives elsewhere.
# Usage: render-config.sh <alertmanager.yml> <output file>
set -eu
input=$1
output=$2
input_dir=$(cd "$(dirname "$input")" && pwd)
secrets=$(cd "$(dirname "$output")" && pwd)/secrets
umask 077
mkdir -p "$secrets"
pagerduty_file=
slack_file=
case "${MODELWATCH_NOTIFIER:-alertmanager}" in
  alertmanager) ;;
  grafana)
    echo "alertmanager: MODELWATCH_NOTIFIER=grafana: Grafana notifies, every receiver here delivers to the local sink" >&2
    PAGERDUTY_ROUTING_KEY=
    SLACK_WEBHOOK_URL=
    ;;
  *)
    echo "alertmanager: MODELWATCH_NOTIFIER must be alertmanager or grafana, got '${MODELWATCH_NOTIFIER}'" >&2
    exit 1
    ;;
esac
if [ -n "${PAGERDUTY_ROUTING_KEY:-}" ]; then
  pagerduty_file=$secrets/pagerduty_routing_key
  printf '%s' "$PAGERDUTY_ROUTING_KEY" > "$pagerduty_file"
fi
if [ -n "${SLACK_WEBHOOK_URL:-}" ]; then
  slack_file=$secrets/slack_webhook_url
  printf '%s' "$SLACK_WEBHOOK_URL" > "$slack_file"
fi
failover_file=
if [ -n "${FAILOVER_WEBHOOK_TOKEN:-}" ]; then
  failover_file=$secrets/failover_webhook_token
  printf '%s' "$FAILOVER_WEBHOOK_TOKEN" > "$failover_file"
fi
INPUT_DIR=$input_dir PAGERDUTY_FILE=$pagerduty_file SLACK_FILE=$slack_file FAILOVER_FILE=$failover_file awk '
  # Plain string building, no sub(): "&" in a path must stay a literal "&".
  function quoted(value,   out, i, c) {
    out = ""
    for (i = 1; i <= length(value); i++) { c = substr(value, i, 1); out = out (c == "\047" ? "\047\047" : c) }
    return "\047" out "\047"
  }
  function replaceKey(key, newKey, value) { match($0, key ":"); return substr($0, 1, RSTART - 1) newKey ": " quoted(value) }
  BEGIN { pagerduty = ENVIRON["PAGERDUTY_FILE"]; slack = ENVIRON["SLACK_FILE"]; failover = ENVIRON["FAILOVER_FILE"]; dir = ENVIRON["INPUT_DIR"] }
  /^templates:/ { in_templates = 1; print; next }
  /^[^ #-]/ { in_templates = 0 }
  in_templates && /^ *- *[^\/ ]/ { match($0, /^ *- */); print substr($0, 1, RLENGTH) dir "/" substr($0, RLENGTH + 1); next }
  pagerduty != "" && /^ *(- )?routing_key:/ { print replaceKey("routing_key", "routing_key_file", pagerduty); next }
  pagerduty != "" && /^ *url: *http:\/\/127\.0\.0\.1:9099\/pagerduty\// { next }
  slack != "" && /^ *(- )?api_url: *http:\/\/127\.0\.0\.1:9099\/slack\// { print replaceKey("api_url", "api_url_file", slack); next }
  failover != "" && /^ *credentials: *modelwatch-local-failover-token0 *$/ { print replaceKey("credentials", "credentials_file", failover); next }
  { print }
' "$input" > "$output"
