import { assistantMessage, ScriptedModel } from '@openai/agents/testing';
import { describe, expect, it } from 'vitest';
import { offlineModel } from '#core/adapters/models/offline.ts';
import {
  appendHashtags,
  CAPTION_LIMITS,
  countHashtags,
  countMentions,
  limitCaption,
} from '#core/instagram/caption-limits.ts';
import { composePostPrompt, writeCaption } from '#core/instagram/caption.ts';
import { ada } from './support/pipeline.ts';

describe('caption limits', () => {
  it('keeps a caption within the limits unchanged', () => {
    expect(limitCaption('  Mulch is a love letter to May. #soil @kew  ')).toBe(
      'Mulch is a love letter to May. #soil @kew',
    );
  });

  it('drops hashtags past the 30th', () => {
    const tags = Array.from({ length: 35 }, (_, i) => `#t${i}`).join(' ');
    const out = limitCaption(`Text ${tags}`);
    expect(countHashtags(out)).toBe(30);
    expect(out).toContain('#t29');
    expect(out).not.toContain('#t30');
  });

  it('turns mentions past the 20th into plain names', () => {
    const names = Array.from({ length: 22 }, (_, i) => `@user${i}`).join(' ');
    const out = limitCaption(`Thanks ${names}!`);
    expect(countMentions(out)).toBe(20);
    expect(out).toContain(' user20 user21!');
  });

  it('cuts a long body at a word with an ellipsis and keeps the trailing hashtags', () => {
    const out = limitCaption(`${'word '.repeat(600)}\n\n#garden #soil`);
    expect(out.length).toBeLessThanOrEqual(CAPTION_LIMITS.chars);
    expect(out.endsWith('word…\n\n#garden #soil')).toBe(true);
  });

  it('appends the character hashtags that fit and are not there yet', () => {
    expect(appendHashtags('Frost. #garden', ['#garden', 'winter'])).toBe('Frost. #garden #winter');
    expect(appendHashtags('x'.repeat(2195), ['#toolong'])).toBe('x'.repeat(2195));
  });
});

describe('caption in the character voice', () => {
  it('composes the prompt from post examples and post style, the same for the same post', () => {
    const prompt = composePostPrompt(ada, 'post:1');
    expect(prompt).toContain('Ada: Leave the leaves. Your soil will thank you in spring.');
    expect(prompt).toContain('- one image, one thought');
    expect(composePostPrompt(ada, 'post:1')).toBe(prompt);
  });

  it('writes with one model call, unwraps quotes and fits the limits', async () => {
    const model = new ScriptedModel([[assistantMessage(`Caption: "${'leaf '.repeat(500)}"`)]]);
    const out = await writeCaption(ada, 'autumn', { model, provider: 'openai', name: 'scripted' }, 'post:2');
    expect(model.calls).toHaveLength(1);
    expect(out.caption.startsWith('leaf leaf')).toBe(true);
    expect(out.caption.length).toBeLessThanOrEqual(2200);
    expect(out.trimmed).toBe(true);
  });

  it('works offline: answers from the character post examples', async () => {
    const out = await writeCaption(ada, 'leaves in autumn', offlineModel(), 'post:3');
    expect(out.caption).toMatch(/\(offline\) (Leave the leaves|Mulch is a love letter)/);
    expect(out.model.provider).toBe('offline');
  });
});
