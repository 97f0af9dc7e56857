import express from 'express';
import { createModelwatch } from '@modelwatch/exporter';

const mw = createModelwatch({
  // Spend by tenant and feature. The 50 top spenders keep series of their own; tenants with a budget are pinned.
  attribution: { pinnedTenants: ['acme'] },
});
const app = express();

// Who each request's AI calls are for: read at the request's first AI call, never for requests that call no model.
app.use(mw.express({ attribute: (req) => ({ tenant: String(req.headers['x-tenant-id'] ?? '') }) }));
app.get('/metrics', mw.metricsHandler);

// Stands in for any SDK call (instrumentOpenAI and the others are attributed the same way).
function callModel() {
  return mw.observeAiCall({ provider: 'openai', model: 'gpt-4o-mini' }, async () => ({
    model: 'gpt-4o-mini-2024-07-18',
    usage: { prompt_tokens: 1000, completion_tokens: 200 },
  }));
}

app.post('/support/answer', async (_req, res) => {
  // What the calls are for: a scope inside the request's scope keeps its tenant.
  await mw.attribute({ feature: 'support-bot' }, () => callModel());
  res.json({ ok: true });
});

// Work outside a request: a scope of its own.
async function nightlyDigest(tenant = '') {
  await mw.attribute({ tenant, feature: 'digest' }, () => callModel());
}

await nightlyDigest('globex');
app.get('/', (_req, res) => {
  res.send('ok');
});
app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
