import type { DeliverOptions, Delivery, DeliveryResult, Outcome } from '../ports/delivery.ts';
import type { TurnRequest } from '../ports/turn-request.ts';

/**
 * Sends each outcome to the adapter for its `reply.kind`: Discord, API (job + webhook), or
 * nowhere. A kind with no adapter configured is undeliverable, so the turn still finishes.
 *
 * @example
 * new DeliveryRouter({ discord: new DiscordDelivery(...), api: new ApiDelivery({ secret }) });
 */
export class DeliveryRouter implements Delivery {
  constructor(
    private readonly targets: { discord?: Delivery; api?: Delivery; 'discord-channel'?: Delivery },
  ) {}

  async deliver(request: TurnRequest, outcome: Outcome, options?: DeliverOptions): Promise<DeliveryResult> {
    const kind = request.reply.kind;
    if (kind === 'none') return { status: 'skipped' };
    const target = this.targets[kind];
    if (!target) return { status: 'undeliverable', reason: `no ${kind} delivery configured in this runner` };
    return target.deliver(request, outcome, options);
  }
}
