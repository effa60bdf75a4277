import { z } from 'zod';
import type { Instance } from '../instance';

/** One target group of Prometheus's HTTP service discovery (`http_sd_configs`): addresses and their labels. */
export const prometheusTargetGroup = z
  .object({ targets: z.array(z.string()), labels: z.record(z.string(), z.string()) })
  .meta({ id: 'PrometheusTargetGroup', description: "A target group of Prometheus's http_sd." });
export type PrometheusTargetGroup = z.infer<typeof prometheusTargetGroup>;

/** `GET /prometheus/targets`: every passing instance as a target group. */
export const prometheusTargetsView = z.array(prometheusTargetGroup);

/** An instance as a target group: scraped at its own address, labelled with its service and id. */
export const toPrometheusTargetGroup = (
  instance: Pick<Instance, 'id' | 'service_name' | 'url'>,
): PrometheusTargetGroup => ({
  targets: [instance.id],
  labels: {
    service: instance.service_name,
    instance_id: instance.id,
    // An https instance is scraped over https; `__` labels are Prometheus's, dropped after relabelling.
    ...(instance.url.startsWith('https:') ? { __scheme__: 'https' } : {}),
  },
});
