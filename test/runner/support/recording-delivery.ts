import type { Delivery, DeliveryResult, Outcome } from '#core/ports/delivery.ts';
import type { TurnRequest } from '#core/queue/turn-request.ts';

/** A Delivery that records what it was asked to send; `next` may override one result or throw. */
export class RecordingDelivery implements Delivery {
  readonly sent: Array<{ id: string; conversation: string; outcome: Outcome }> = [];
  next?: (request: TurnRequest, outcome: Outcome) => DeliveryResult | undefined;

  async deliver(request: TurnRequest, outcome: Outcome): Promise<DeliveryResult> {
    const override = this.next?.(request, outcome);
    if (override) return override;
    this.sent.push({ id: request.id, conversation: request.conversation, outcome });
    return { status: 'delivered', messages: 1 };
  }

  count(id: string): number {
    return this.sent.filter((s) => s.id === id).length;
  }
}
