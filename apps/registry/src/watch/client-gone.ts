import type { ServerResponse } from 'node:http';

/**
 * A signal that aborts when the client closes its connection before `response` is sent, so a held
 * query is let go at once instead of counting against the limit until its wait ends; `dispose` stops
 * listening once the answer is on its way.
 */
export function clientGone(response: ServerResponse): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onClose = () => {
    if (!response.writableEnded) controller.abort();
  };
  response.once('close', onClose);
  return { signal: controller.signal, dispose: () => response.off('close', onClose) };
}
