import { type OnModuleInit } from '@nestjs/common';
import { type HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

type Labels = 'method' | 'route' | 'status_code';

/** The route label of a request no route matched: a fixed value, so scanners cannot add series. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Seconds; finer than prom-client's default at the low end, where most of Chirp's requests land. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Request count, duration and in-flight requests, labelled by route template (`/posts/:id/likes`,
 * never the raw URL), method and status, recorded by Fastify hooks installed before the app listens.
 */
export class HttpMetrics implements OnModuleInit {
  private readonly requests: Counter<Labels>;
  private readonly duration: Histogram<Labels>;
  private readonly inFlight: Gauge;

  constructor(
    registry: Registry,
    private readonly host: HttpAdapterHost,
    private readonly enabled: boolean,
  ) {
    const labelNames: Labels[] = ['method', 'route', 'status_code'];
    const registers = [registry];
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route template and status.',
      labelNames,
      registers,
    });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving a request to the end of its response, by method, route template and status.',
      labelNames,
      buckets: BUCKETS,
      registers,
    });
    this.inFlight = new Gauge({
      name: 'http_requests_in_flight',
      help: 'HTTP requests received and not yet answered (or abandoned).',
      registers,
    });
  }

  onModuleInit(): void {
    if (!this.enabled) return;
    const fastify = this.host.httpAdapter.getInstance<FastifyInstance>();
    // Fastify binds hooks to routes when it gets ready (at listen), so routes Nest registered already get them.
    fastify.addHook('onRequest', (request, reply, done) => {
      this.track(request, reply);
      done();
    });
  }

  private track(request: FastifyRequest, reply: FastifyReply): void {
    const started = performance.now();
    this.inFlight.inc();
    // 'close' comes once per response, also when the client goes away first ('finish' does not).
    reply.raw.once('close', () => {
      this.inFlight.dec();
      if (!reply.raw.writableFinished) return;
      const labels = {
        method: request.method,
        route: request.routeOptions.url ?? UNMATCHED_ROUTE,
        status_code: reply.statusCode,
      };
      this.requests.inc(labels);
      this.duration.observe(labels, (performance.now() - started) / 1000);
    });
  }
}
