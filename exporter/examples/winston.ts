import express from 'express';
import { createModelwatch } from '@modelwatch/exporter';
import { accessLog, createLogger, logAiCalls } from '@modelwatch/exporter/winston';

const mw = createModelwatch();
// JSON lines on stdout. Level from LOG_LEVEL, `service` from OTEL_SERVICE_NAME; trace ids of the active span; secrets masked.
const logger = createLogger();
// One line per AI call: model, duration, tokens, cost, error type, trace ids. Never prompts or completions.
logAiCalls(mw, logger);

const app = express();
app.use(mw.express());
app.use(accessLog(logger)); // after mw.express(); /metrics, /healthz and /readyz are not logged
app.get('/metrics', mw.metricsHandler);

app.get('/answers/:topic', async (req, res) => {
  const answer = await mw.observeAiCall({ provider: 'openai', model: 'gpt-4o-mini' }, async () => ({
    text: `All about ${req.params.topic}`,
    usage: { prompt_tokens: 120, completion_tokens: 30 },
  }));
  logger.info('answered', { topic: req.params.topic, authorization: req.get('authorization') }); // authorization → "[REDACTED]"
  res.json({ text: answer.text });
});

app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
