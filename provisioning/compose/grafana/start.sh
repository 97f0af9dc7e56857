#!/bin/sh
# Starts Grafana for docker-compose: runs the command given (the image's
# /run.sh) after two checks on the environment.
#
# An admin password must be set (GF_SECURITY_ADMIN_PASSWORD, or
# GF_SECURITY_ADMIN_PASSWORD__FILE naming a file that holds it). Without one,
# Grafana creates its admin user with the password `admin` ([security]
# admin_password = admin in Grafana's conf/defaults.ini; GF_<SECTION>_<KEY> and
# its __FILE form override it, per Grafana's "Override configuration with
# environment variables"), and every port-forward or shared machine exposes it.
#
# PagerDuty: the provisioned contact point reads PAGERDUTY_ROUTING_KEY and
# PAGERDUTY_URL (provisioning/alerting; Grafana expands ${VAR} in provisioning
# files). Grafana's PagerDuty integration posts to its `url` setting, or to
# https://events.pagerduty.com/v2/enqueue when it is empty (grafana/alerting,
# receivers/pagerduty/v1/config.go: DefaultURL). Without a routing key, alert
# content must not go to PagerDuty with a placeholder key: the contact point
# gets the notification sink's URL and placeholder key instead.
#
# One notification path (MODELWATCH_NOTIFIER, default alertmanager): the same
# alerts are evaluated by Prometheus (notifying through Alertmanager) and by
# Grafana (provisioning/alerting/modelwatch-rules.yaml); both notifying would
# page twice, with different dedup keys and without Alertmanager's
# critical-inhibits-warning rule on Grafana's side. The rules' isPaused reads
# MODELWATCH_GRAFANA_RULES_PAUSED (Grafana expands ${VAR} in provisioning
# values, then parses a boolean: pkg/services/provisioning/values/values.go,
# BoolValue.UnmarshalYAML): paused unless MODELWATCH_NOTIFIER=grafana, in which
# case provisioning/compose/alertmanager/render-config.sh keeps Alertmanager on
# the local sink.
# Usage: start.sh <command> [args...]
set -eu
if [ -z "${GF_SECURITY_ADMIN_PASSWORD:-}" ] && [ -z "${GF_SECURITY_ADMIN_PASSWORD__FILE:-}" ]; then
  echo "grafana: refusing to start without an admin password: set GRAFANA_ADMIN_PASSWORD in .env" >&2
  exit 1
fi
if [ "${GF_SECURITY_ADMIN_PASSWORD:-}" = admin ]; then
  echo "grafana: refusing to start with the admin password 'admin': set another GRAFANA_ADMIN_PASSWORD in .env" >&2
  exit 1
fi
if [ -n "${PAGERDUTY_ROUTING_KEY:-}" ]; then
  export PAGERDUTY_URL=https://events.pagerduty.com/v2/enqueue
else
  # The sink's checks want 32 characters, as PagerDuty does; the same placeholder as config/alertmanager.yml's.
  export PAGERDUTY_ROUTING_KEY=modelwatchlocalsink0000000000000
  export PAGERDUTY_URL=http://sink:9099/pagerduty/v2/enqueue
fi
case "${MODELWATCH_NOTIFIER:-alertmanager}" in
  alertmanager) export MODELWATCH_GRAFANA_RULES_PAUSED=true ;;
  grafana) export MODELWATCH_GRAFANA_RULES_PAUSED=false ;;
  *)
    echo "grafana: MODELWATCH_NOTIFIER must be alertmanager or grafana, got '${MODELWATCH_NOTIFIER}'" >&2
    exit 1
    ;;
esac
exec "$@"
