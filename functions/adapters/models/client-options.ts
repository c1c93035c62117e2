/** How a provider's HTTP client is built; both providers' clients take the same four settings. */
export interface ProviderClientOptions {
  apiKey?: string;
  /** Another host speaking the provider's API, e.g. a compatible server or a loopback fake. */
  baseURL?: string;
  /** Retries on 408/409/429/5xx and connection errors, with the server's retry-after honoured. Default 3. */
  maxRetries?: number;
  /** One HTTP attempt's budget in milliseconds. Default 30 s, half a turn's default budget. */
  timeoutMs?: number;
}

export const CLIENT_DEFAULTS = { maxRetries: 3, timeoutMs: 30_000 } as const;
