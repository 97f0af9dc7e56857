#!/bin/sh
# Writes the Alertmanager config docker-compose runs. Every receiver of the
# input delivers to the local notification sink (http://127.0.0.1:9099) unless
# a secret is set in the environment (.env):
#   PAGERDUTY_ROUTING_KEY  PagerDuty receivers get this routing key and
#                          PagerDuty's own Events API v2 URL;
#   SLACK_WEBHOOK_URL      Slack receivers post to this incoming webhook.
# Secrets stay in the environment and the rendered file, never in the repo.
# Relative `templates:` paths are made absolute (against the input's directory),
# since the rendered file lives elsewhere.
# Usage: render-config.sh <alertmanager.yml> <output file>
set -eu
input=$1
output=$2
input_dir=$(cd "$(dirname "$input")" && pwd)
INPUT_DIR=$input_dir awk '
  # Plain string building, no sub(): "&" in a secret must stay a literal "&".
  function quoted(value,   out, i, c) {
    out = ""
    for (i = 1; i <= length(value); i++) { c = substr(value, i, 1); out = out (c == "\047" ? "\047\047" : c) }
    return "\047" out "\047"
  }
  function replaceValue(key, value) { match($0, key ":"); return substr($0, 1, RSTART - 1) key ": " quoted(value) }
  BEGIN { pagerduty = ENVIRON["PAGERDUTY_ROUTING_KEY"]; slack = ENVIRON["SLACK_WEBHOOK_URL"]; dir = ENVIRON["INPUT_DIR"] }
  /^templates:/ { in_templates = 1; print; next }
  /^[^ #-]/ { in_templates = 0 }
  in_templates && /^ *- *[^\/ ]/ { match($0, /^ *- */); print substr($0, 1, RLENGTH) dir "/" substr($0, RLENGTH + 1); next }
  pagerduty != "" && /^ *(- )?routing_key:/ { print replaceValue("routing_key", pagerduty); next }
  pagerduty != "" && /^ *url: *http:\/\/127\.0\.0\.1:9099\/pagerduty\// { next }
  slack != "" && /^ *(- )?api_url: *http:\/\/127\.0\.0\.1:9099\/slack\// { print replaceValue("api_url", slack); next }
  { print }
' "$input" > "$output"
