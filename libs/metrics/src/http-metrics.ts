import { type OnModuleInit } from '@nestjs/common';
import { type HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Gauge, Histogram, type Registry } from 'prom-client';

type Labels = 'method' | 'route' | 'status_code';

/** The route label of a request no route matched: a fixed value, so scanners cannot add series. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Seconds; finer than prom-client's default at the low end, where most of Chirp's requests land. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Request count and duration (one histogram: its `_count` is the request count) and in-flight requests,
 * labelled by route template (`/posts/:id/likes`, never the raw URL), method and status, recorded by
 * Fastify hooks installed before the app listens.
 */
export class HttpMetrics implements OnModuleInit {
  private readonly duration: Histogram<Labels>;
  private inFlight = 0;

  constructor(
    registry: Registry,
    private readonly host: HttpAdapterHost,
    private readonly enabled: boolean,
  ) {
    const registers = [registry];
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving a request to the end of its response, by method, route template and status.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: BUCKETS,
      registers,
    });
    const inFlight = () => this.inFlight;
    new Gauge({
      name: 'http_requests_in_flight',
      help: 'HTTP requests received and not yet answered (or abandoned).',
      registers,
      // Read at scrape time: a plain count per request is cheaper than a gauge update.
      collect() {
        this.set(inFlight());
      },
    });
  }

  onModuleInit(): void {
    if (!this.enabled) return;
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    // These run on every request, so they allocate nothing they can avoid (one listener shared by all
    // responses, Fastify's own timing). Their cost is measured by bench/likes.bench.mjs, which finds
    // them in a CPU profile by these names.
    const metricsRequestClosed = () => this.inFlight--;
    const metricsOnRequest = (_request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      this.inFlight++;
      // 'close' comes once per response, also when the client goes away first ('finish' does not).
      reply.raw.on('close', metricsRequestClosed);
      done();
    };
    // After the response is sent ('finish'): an abandoned request is not counted.
    const metricsOnResponse = (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      this.observe(request, reply);
      done();
    };
    // Fastify binds hooks to routes when it gets ready (at listen), so routes Nest registered already get them.
    fastify.addHook('onRequest', metricsOnRequest);
    fastify.addHook('onResponse', metricsOnResponse);
  }

  private observe(request: FastifyRequest, reply: FastifyReply): void {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? UNMATCHED_ROUTE,
      status_code: reply.statusCode,
    };
    this.duration.observe(labels, reply.elapsedTime / 1000);
  }
}
