import Fastify from 'fastify';
import { createModelwatch } from '@modelwatch/exporter';
import { modelwatchFastify } from '@modelwatch/exporter/fastify';

const mw = createModelwatch();
const app = Fastify();

await app.register(modelwatchFastify(mw), { metricsPath: '/metrics' });
app.get('/users/:id', async (request) => request.params); // answers {"id":"42"} for /users/42
app.get('/internal/ping', { config: { modelwatch: false } }, async () => 'pong'); // not recorded

await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
