import type { DeliverOptions, Delivery, DeliveryResult, Outcome } from '#core/ports/delivery.ts';
import type { TurnRequest } from '#core/ports/turn-request.ts';

/** A Delivery that records what it was asked to send; `next` may override one result or throw. */
export class RecordingDelivery implements Delivery {
  readonly sent: Array<{ id: string; conversation: string; outcome: Outcome }> = [];
  readonly options: DeliverOptions[] = [];
  next?: (
    request: TurnRequest,
    outcome: Outcome,
    options: DeliverOptions,
  ) => Promise<DeliveryResult | undefined>;

  async deliver(
    request: TurnRequest,
    outcome: Outcome,
    options: DeliverOptions = {},
  ): Promise<DeliveryResult> {
    this.options.push(options);
    const override = await this.next?.(request, outcome, options);
    if (override) return override;
    this.sent.push({ id: request.id, conversation: request.conversation, outcome });
    return { status: 'delivered', messages: 1 };
  }

  count(id: string): number {
    return this.sent.filter((s) => s.id === id).length;
  }
}
