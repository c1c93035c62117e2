/** A message the fake keeps for a channel. */
export interface ChannelMessage {
  id: string;
  channelId: string;
  content: string;
  nonce?: string;
  allowed_mentions?: unknown;
  /** The Authorization header it came with. */
  authorization?: string;
}

/**
 * The channel-messages part of the loopback Discord: `POST /channels/{id}/messages` with bot
 * auth, 2,000 characters, and `enforce_nonce` as Discord documents it (the same nonce from the
 * same author returns the first message instead of creating another).
 */
export class FakeChannels {
  private readonly byChannel = new Map<string, ChannelMessage[]>();

  constructor(private readonly snowflake: () => string) {}

  messages(channelId: string): ChannelMessage[] {
    return [...(this.byChannel.get(channelId) ?? [])];
  }

  clear(): void {
    this.byChannel.clear();
  }

  post(
    channelId: string,
    authorization: string | undefined,
    body: unknown,
  ): { status: number; body: unknown } {
    if (!authorization?.startsWith('Bot '))
      return { status: 401, body: { code: 0, message: '401: Unauthorized' } };
    const payload = (body ?? {}) as {
      content?: unknown;
      nonce?: unknown;
      enforce_nonce?: unknown;
      allowed_mentions?: unknown;
    };
    const content = typeof payload.content === 'string' ? payload.content : '';
    if (!content) return { status: 400, body: { code: 50006, message: 'Cannot send an empty message' } };
    if (content.length > 2000) return { status: 400, body: { code: 50035, message: 'Invalid Form Body' } };
    const list = this.byChannel.get(channelId) ?? [];
    this.byChannel.set(channelId, list);
    const nonce = typeof payload.nonce === 'string' ? payload.nonce : undefined;
    const earlier =
      payload.enforce_nonce === true && nonce
        ? list.find((m) => m.nonce === nonce && m.authorization === authorization)
        : undefined;
    if (earlier) return { status: 200, body: earlier };
    const message: ChannelMessage = {
      id: this.snowflake(),
      channelId,
      content,
      ...(nonce ? { nonce } : {}),
      ...(payload.allowed_mentions !== undefined ? { allowed_mentions: payload.allowed_mentions } : {}),
      authorization,
    };
    list.push(message);
    return { status: 200, body: message };
  }
}
