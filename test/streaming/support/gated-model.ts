import type { ModelRequest, StreamEvent } from '@openai/agents';
import { replayStream } from '#core/adapters/models/replay-stream.ts';
import { EchoModel } from '../../runner/support/echo-model.ts';

/**
 * The echo model, streamed a word at a time, stopping after `holdAfter` words until the test
 * calls `release()`: a test can look at what readers saw mid-stream without timing anything.
 */
export class GatedModel extends EchoModel {
  private open!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  private held!: () => void;
  /** Resolves once the model has streamed `holdAfter` words and is waiting. */
  readonly holding = new Promise<void>((resolve) => (this.held = resolve));

  constructor(private readonly holdAfter = 3) {
    super();
  }

  release(): void {
    this.open();
  }

  override async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    let words = 0;
    for await (const event of replayStream(await this.getResponse(request), 'gated')) {
      if (event.type === 'output_text_delta' && words++ === this.holdAfter) {
        this.held();
        await this.gate;
      }
      yield event;
    }
  }
}
