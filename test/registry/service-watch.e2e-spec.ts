import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { ServiceWatch, type WatchedInstance } from '@app/discovery';
import { request, waitFor } from '../support';
import { startRegistry } from './registry-support';

const register = (app: NestFastifyApplication, service: string, port: number) =>
  request(app, '/services', {
    method: 'POST',
    json: { service_name: service, url: `http://127.0.0.1:${port}` },
  });

describe(ServiceWatch.name, () => {
  let app: NestFastifyApplication;
  let url: string;
  let seen: string[][];
  let watch: ServiceWatch;

  beforeAll(async () => {
    app = await startRegistry();
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await watch?.stop();
    await app.close();
  });

  it("delivers the service's instances at once, then each change of them, and nothing else", async () => {
    seen = [];
    const onChange = (instances: WatchedInstance[]) => seen.push(instances.map((i) => i.id));
    watch = new ServiceWatch({ registryUrl: url, service: 'likes', onChange }).start();
    await waitFor('the first answer', () => seen.length === 1);
    expect(seen).toEqual([[]]);

    await register(app, 'likes', 7101);
    await waitFor('the registration', () => seen.length === 2);
    await register(app, 'polls', 7201); // moves the index, not the likes list
    await request(app, '/services/likes/instances/127.0.0.1:7101', { method: 'DELETE' });
    await waitFor('the deregistration', () => seen.length === 3);
    expect(seen).toEqual([[], ['127.0.0.1:7101'], []]);
  });

  it('stops at once, its held query abandoned', async () => {
    await watch.stop();
    const index = watch.index;
    await register(app, 'likes', 7102);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(watch.index).toBe(index);
    expect(seen.at(-1)).toEqual([]);
  });
});
