/** Stores a secret value by name (a refreshed access token) where the next cold start reads it. */
export interface SecretWriter {
  write(name: string, value: string): Promise<void>;
}
