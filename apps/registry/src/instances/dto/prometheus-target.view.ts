import type { Instance } from '../instance';

/** One target group of Prometheus's HTTP service discovery (`http_sd_configs`): addresses and their labels. */
export interface PrometheusTargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

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
