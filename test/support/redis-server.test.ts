import { ask, RedisServer } from './redis-server';

let redis: RedisServer;

beforeAll(async () => {
  redis = await RedisServer.start();
});

afterAll(() => redis.stop());

test('answers PING on its loopback port once started', async () => {
  expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
  await expect(ask(redis.port, 'PING')).resolves.toBe('+PONG');
});

test('refuses connections while stopped and answers again, empty, on the same port once restarted', async () => {
  await expect(ask(redis.port, 'SET kept yes')).resolves.toBe('+OK');
  await redis.stop();
  await expect(ask(redis.port, 'PING')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  await redis.restart();
  await expect(ask(redis.port, 'PING')).resolves.toBe('+PONG');
  // Nothing was saved to disk: a Redis that comes back has lost what it held.
  await expect(ask(redis.port, 'EXISTS kept')).resolves.toBe(':0');
});
