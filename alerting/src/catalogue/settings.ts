import { FAILOVER_WEBHOOK } from '@modelwatch/conventions';
/**
 * Deployment settings of the generated files: where links in notifications
 * point and where production secrets are read from. Edit these (then `npm run
 * alerts`) to fit your setup; objectives and budgets are in the SLO spec.
 */
export const SETTINGS = {
  /** Runbook links: `<runbookBaseUrl>/<AlertName>.md`. */
  runbookBaseUrl: 'https://github.com/modelwatch/modelwatch/blob/main/alerting/runbooks',
  /**
   * Grafana as the on-call engineer reaches it: the dashboard and app links of Prometheus' rules (docker-compose's
   * Prometheus renders them with Grafana's root URL instead). Grafana's own rules link through its root URL.
   */
  grafanaUrl: 'http://localhost:3000',
  /** Production Alertmanager: secret files mounted next to the config, never committed. */
  secretFiles: {
    pagerdutyRoutingKey: '/etc/alertmanager/secrets/pagerduty-routing-key',
    slackAlertsWebhook: '/etc/alertmanager/secrets/slack-alerts-webhook-url',
    slackLowPriorityWebhook: '/etc/alertmanager/secrets/slack-low-priority-webhook-url',
    watchdogToken: '/etc/alertmanager/secrets/watchdog-token',
    /** The bearer token of the app's failover webhook (the app reads the same one, e.g. FAILOVER_WEBHOOK_TOKEN_FILE). */
    failoverWebhookToken: '/etc/alertmanager/secrets/failover-webhook-token',
  },
  /**
   * The app's failover webhook (`@modelwatch/exporter/failover`), which the failover alerts also go to. Production:
   * the service as Alertmanager reaches it; local: the demo of `npm start` on its default port (the live test points
   * it at its own demo).
   */
  failoverWebhookUrl: { production: `http://demo:8080${FAILOVER_WEBHOOK.path}`, local: `http://127.0.0.1:8080${FAILOVER_WEBHOOK.path}` },
  /** Placeholder token of the local stack's failover webhook (the demo's FAILOVER_WEBHOOK_TOKEN there; not a secret). */
  localFailoverToken: FAILOVER_WEBHOOK.localToken,
  /** Production dead-man's switch endpoint (authenticated by the watchdog token file, so the URL holds no secret). */
  watchdogUrl: 'https://deadmans-switch.example.com/ping/modelwatch',
  /**
   * Grafana-managed alerting: environment variables the contact points read
   * (docker-compose passes the first two to Grafana). Grafana refuses a
   * contact point whose key or URL is empty, so set every one.
   */
  grafanaEnv: {
    pagerdutyRoutingKey: 'PAGERDUTY_ROUTING_KEY',
    slackAlertsWebhook: 'SLACK_WEBHOOK_URL',
    slackLowPriorityWebhook: 'SLACK_LOW_PRIORITY_WEBHOOK_URL',
    watchdogUrl: 'WATCHDOG_URL',
  },
  /** Local stack (`npm start`, live tests): everything goes to the loopback notification sink. */
  localSinkOrigin: 'http://127.0.0.1:9099',
  /** Placeholder routing key of the local stack (32 characters like a real one; not a secret). */
  localRoutingKey: 'modelwatchlocalsink0000000000000',
} as const;
