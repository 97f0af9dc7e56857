import { describe, expect, it } from 'vitest';
import { GRAFANA_PAGERDUTY_TRIGGER, GRAFANA_SLACK_FIRING, GRAFANA_WEBHOOK_FIRING, PAGERDUTY_TRIGGER, SLACK_FIRING, WEBHOOK_RESOLVED } from './__fixtures__/payloads';
import { checkPagerDutyEvent, checkSlackMessage, checkWebhookMessage } from './payloads';

const edit = <T>(value: T, change: (copy: T) => void): T => {
  const copy = structuredClone(value);
  change(copy);
  return copy;
};

describe('checkPagerDutyEvent', () => {
  it('accepts the trigger and the resolve Alertmanager 0.25 sends', () => {
    expect(checkPagerDutyEvent(PAGERDUTY_TRIGGER)).toEqual([]);
    expect(checkPagerDutyEvent({ ...PAGERDUTY_TRIGGER, event_action: 'resolve' })).toEqual([]);
  });

  it.each([
    ['an empty routing key', edit(PAGERDUTY_TRIGGER, (e) => (e.routing_key = '')), 'routing_key must be a non-empty string'],
    ['an unknown action', edit(PAGERDUTY_TRIGGER, (e) => (e.event_action = 'fire')), 'event_action must be one of trigger|acknowledge|resolve, got "fire"'],
    ['a severity PagerDuty does not know', edit(PAGERDUTY_TRIGGER, (e) => (e.payload.severity = 'page')), 'payload.severity must be one of critical|error|warning|info, got "page"'],
    ['an empty summary', edit(PAGERDUTY_TRIGGER, (e) => (e.payload.summary = ' ')), 'payload.summary must be a non-empty string'],
    ['a summary over 1024 characters', edit(PAGERDUTY_TRIGGER, (e) => (e.payload.summary = 'x'.repeat(1025))), 'payload.summary is longer than 1024 characters'],
    ['an empty source (e.g. a template over a missing label)', edit(PAGERDUTY_TRIGGER, (e) => (e.payload.source = '')), 'payload.source must be a non-empty string'],
    ['a resolve without dedup_key', edit({ ...PAGERDUTY_TRIGGER, event_action: 'resolve' } as Record<string, unknown>, (e) => delete e.dedup_key), 'dedup_key is required for resolve'],
  ])('rejects %s', (_name, event, error) => {
    expect(checkPagerDutyEvent(event)).toEqual([error]);
  });

  it('rejects a trigger without payload, and a body that is not an object', () => {
    expect(checkPagerDutyEvent({ routing_key: 'k', event_action: 'trigger' })).toEqual(['payload is required for trigger']);
    expect(checkPagerDutyEvent([])).toEqual(['body is not a JSON object']);
  });
});

describe('checkSlackMessage', () => {
  it('accepts what Alertmanager 0.25 sends', () => {
    expect(checkSlackMessage(SLACK_FIRING)).toEqual([]);
  });

  it.each([
    ['no attachments', edit(SLACK_FIRING, (m) => (m.attachments = [])), 'attachments must be a non-empty array'],
    ['an empty title', edit(SLACK_FIRING, (m) => (m.attachments[0]!.title = '')), 'attachments[0].title must be a non-empty string'],
    ['a colour Slack ignores', edit(SLACK_FIRING, (m) => (m.attachments[0]!.color = 'red')), 'attachments[0].color must be good, warning, danger or #rrggbb, got "red"'],
    ['a missing text', edit(SLACK_FIRING, (m) => delete (m.attachments[0] as Partial<(typeof m.attachments)[0]>).text), 'attachments[0].text must be a string'],
  ])('rejects %s', (_name, message, error) => {
    expect(checkSlackMessage(message)).toEqual([error]);
  });
});

describe("Grafana-managed alerting's integrations", () => {
  it('sends PagerDuty events and Slack messages the sink accepts, as Alertmanager does', () => {
    expect(checkPagerDutyEvent(GRAFANA_PAGERDUTY_TRIGGER)).toEqual([]);
    expect(checkSlackMessage(GRAFANA_SLACK_FIRING)).toEqual([]);
  });
});

describe('checkWebhookMessage', () => {
  it('accepts what Alertmanager 0.25 sends', () => {
    expect(checkWebhookMessage(WEBHOOK_RESOLVED)).toEqual([]);
  });

  it('names every problem', () => {
    const broken = edit(WEBHOOK_RESOLVED, (m) => {
      m.version = '3';
      m.alerts[0]!.startsAt = 'yesterday';
    });
    expect(checkWebhookMessage(broken)).toEqual(['version must be "4" (Alertmanager) or "1" (Grafana), got "3"', 'alerts[0].startsAt must be a time']);
  });

  it("accepts Grafana-managed alerting's webhook (version 1: Alertmanager's fields plus orgId, title, state, message and per-alert links and values)", () => {
    expect(checkWebhookMessage(GRAFANA_WEBHOOK_FIRING)).toEqual([]);
    expect(checkWebhookMessage({ ...GRAFANA_WEBHOOK_FIRING, state: 'ok', status: 'resolved', alerts: [{ ...GRAFANA_WEBHOOK_FIRING.alerts[0]!, status: 'resolved', values: null }] })).toEqual([]);
  });

  it("checks Grafana's own fields on a version 1 message only", () => {
    const broken = edit(GRAFANA_WEBHOOK_FIRING as Record<string, unknown>, (m) => {
      m.state = 'firing';
      delete m.orgId;
      (m.alerts as Record<string, unknown>[])[0]!.values = { A: '1' };
      delete (m.alerts as Record<string, unknown>[])[0]!.silenceURL;
    });
    expect(checkWebhookMessage(broken)).toEqual(['orgId must be a number', 'state must be alerting|ok, got "firing"', 'alerts[0].silenceURL must be a string', 'alerts[0].values must be null or an object of numbers']);
    // Alertmanager's version 4 has none of them.
    expect(checkWebhookMessage(WEBHOOK_RESOLVED)).toEqual([]);
  });
});
