import { createMock, type DeepMocked } from '@golevelup/ts-jest';
import { Logger } from '@nestjs/common';
import { AxiosError, AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { RegistrationService } from './registration.service';
import type { RegisteredInstance, RegistryClient } from './registry.client';

const instance: RegisteredInstance = {
  id: '127.0.0.1:7400',
  service_name: 'likes',
  url: 'http://127.0.0.1:7400',
};
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
};

describe(RegistrationService.name, () => {
  let client: DeepMocked<RegistryClient>;
  let sut: RegistrationService;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(() => {
    client = createMock<RegistryClient>({
      url: 'http://127.0.0.1:5500',
      register: jest.fn(() => Promise.resolve(instance)),
      isRegistered: jest.fn((_id: string) => Promise.resolve(true)),
      deregister: jest.fn((_id: string) => Promise.resolve()),
      renew: jest.fn((_id: string) => Promise.resolve(true)),
    });
    // Not a TTL instance unless a test says so (a deep mock would answer a function).
    Object.defineProperty(client, 'ttlMs', { value: undefined, writable: true });
    sut = new RegistrationService(client, 20);
  });
  afterEach(() => sut.beforeApplicationShutdown());

  it('keeps trying until the registry answers', async () => {
    client.register
      .mockRejectedValueOnce(new Error('ECONNREFUSED'))
      .mockRejectedValueOnce(new Error('ECONNREFUSED'));
    sut.start();
    await until(() => sut.instanceId === instance.id);
    expect(client.register).toHaveBeenCalledTimes(3);
  });

  it('says nothing while the first attempts fail, as they do while the formation boots', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    client.register
      .mockRejectedValueOnce(new Error('ECONNREFUSED'))
      .mockRejectedValueOnce(new Error('ECONNREFUSED'));
    client.register.mockRejectedValueOnce(new Error('ECONNREFUSED'));
    sut.start();
    await until(() => sut.instanceId === instance.id);
    expect(client.register).toHaveBeenCalledTimes(4);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('warns once failing has lasted, naming the request and its answer, then every ten attempts', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const config = {
      method: 'post',
      baseURL: 'http://127.0.0.1:5500',
      url: '/services',
      headers: new AxiosHeaders(),
    } as InternalAxiosRequestConfig;
    const unavailable = new AxiosError(
      'Request failed with status code 503',
      'ERR_BAD_RESPONSE',
      config,
      null,
      {
        status: 503,
      } as AxiosResponse,
    );
    client.register.mockRejectedValueOnce(unavailable).mockRejectedValueOnce(unavailable);
    sut = new RegistrationService(client, 20, 0); // no quiet start
    sut.start();
    await until(() => sut.instanceId === instance.id);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(
      /^http:\/\/127\.0\.0\.1:5500 not registered after \d+\.\d s \(attempt 1\): POST http:\/\/127\.0\.0\.1:5500\/services answered 503$/,
    );
    warn.mockRestore();
  });

  it('registers again when the registry forgot it', async () => {
    sut.start();
    await until(() => sut.instanceId !== undefined);
    client.isRegistered.mockResolvedValueOnce(false);
    await until(() => client.register.mock.calls.length === 2);
  });

  it('renews a TTL check instead, at least three times a TTL, and registers again on a 404', async () => {
    Object.defineProperty(client, 'ttlMs', { value: 30 });
    sut = new RegistrationService(client, 1_000); // the TTL, not the heartbeat, sets the pace
    sut.start();
    await until(() => client.renew.mock.calls.length >= 3);
    expect(client.isRegistered).not.toHaveBeenCalled();
    client.renew.mockResolvedValueOnce(false);
    await until(() => client.register.mock.calls.length === 2);
  });

  it('deregisters on shutdown and stops checking', async () => {
    sut.start();
    await until(() => sut.instanceId !== undefined);
    await sut.beforeApplicationShutdown();
    expect(client.deregister).toHaveBeenCalledWith(instance.id);
    const checks = client.isRegistered.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(client.isRegistered.mock.calls.length).toBe(checks);
  });

  it('gives up retrying once shutdown starts', async () => {
    client.register.mockRejectedValue(new Error('ECONNREFUSED'));
    sut.start();
    await until(() => client.register.mock.calls.length >= 1);
    await sut.beforeApplicationShutdown();
    expect(client.deregister).not.toHaveBeenCalled();
  });
});
