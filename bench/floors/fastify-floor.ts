// Floor 1: a bare Fastify route answering a constant to a small JSON POST (no auth, no
// validation schema, logger off): what this machine serves when the handler costs nothing.
import Fastify from 'fastify';

const port = Number(process.env.FLOOR_PORT ?? 3901);
const app = Fastify({ logger: false });
const answer = { ok: true, value: 'constant' };

app.post('/floor', async () => answer);
app.get('/ready', async () => ({ ready: true }));

await app.listen({ host: '127.0.0.1', port });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
