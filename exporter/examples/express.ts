import express from 'express';
import { createModelwatch } from '@modelwatch/exporter';

const mw = createModelwatch();
const app = express();

app.use(mw.express()); // before the routes
app.get('/metrics', mw.metricsHandler);

const users = express.Router();
users.get('/:id', (req, res) => {
  res.json({ id: req.params.id });
});
app.use('/users', users); // recorded as http_route="/users/:id"

app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
