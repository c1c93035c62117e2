import { describe, expect, it } from 'vitest';
import type { Character } from '#core/characters/schema.ts';
import { ModelError } from '#core/adapters/models/model-error.ts';
import { selectModel } from '#core/adapters/models/select.ts';

const character = (fields: Partial<Character> = {}): Character => ({
  id: 'ada',
  source: 'characters/ada.json',
  name: 'Ada',
  modelProvider: 'openai',
  ...fields,
});

describe('selectModel', () => {
  it('answers with the offline model locally when the key is missing, and says why', () => {
    const model = selectModel(character(), { deployed: false, env: {} });
    expect(model.provider).toBe('offline');
    expect(model.notice).toBe(
      'ada uses openai but OPENAI_API_KEY is not set; answering with the offline model',
    );
  });

  it('names the character and the secret to set when a deployed runner has no key', () => {
    const select = () => selectModel(character({ modelProvider: 'claude' }), { deployed: true, env: {} });
    expect(select).toThrow(ModelError);
    expect(select).toThrow('ada uses anthropic but ANTHROPIC_API_KEY is not set; add ANTHROPIC_API_KEY');
  });

  it('rejects an unknown provider, naming the file, the field and the accepted values', () => {
    expect(() => selectModel(character({ modelProvider: 'grok' }), { deployed: false, env: {} })).toThrow(
      'characters/ada.json: modelProvider: unknown provider "grok"; use one of openai, anthropic, claude, offline',
    );
  });

  it('forces the offline model with CARRIER_MODEL=offline, even with a key and when deployed', () => {
    const model = selectModel(character(), {
      deployed: true,
      env: { CARRIER_MODEL: 'offline', OPENAI_API_KEY: 'sk-test' },
    });
    expect(model).toMatchObject({ provider: 'offline', name: 'offline' });
    expect(model.notice).toBeUndefined();
  });

  it('rejects a CARRIER_MODEL value it does not know rather than ignoring it', () => {
    expect(() => selectModel(character(), { deployed: false, env: { CARRIER_MODEL: 'gpt' } })).toThrow(
      'CARRIER_MODEL=gpt is not a model choice; set it to offline or unset it',
    );
  });

  it('uses the default model of the provider and maps ElizaOS spellings case-insensitively', () => {
    const env = { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'sk-ant-test' };
    expect(selectModel(character({ modelProvider: 'OpenAI' }), { deployed: true, env })).toMatchObject({
      provider: 'openai',
      name: 'gpt-4.1-mini',
    });
    expect(selectModel(character({ modelProvider: 'Claude' }), { deployed: true, env })).toMatchObject({
      provider: 'anthropic',
      name: 'claude-sonnet-5-5',
    });
  });

  it('counts an OpenAI-compatible base URL without a key as configured', () => {
    const model = selectModel(character({ model: 'llama3.1' }), {
      deployed: true,
      env: { OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' },
    });
    expect(model).toMatchObject({ provider: 'openai', name: 'llama3.1' });
  });

  it('picks the provider whose key is set when the character names none', () => {
    const model = selectModel(character({ modelProvider: undefined }), {
      deployed: true,
      env: { ANTHROPIC_API_KEY: 'sk-ant-test' },
    });
    expect(model.provider).toBe('anthropic');
  });

  it('reuses one model instance per provider, model and key, and makes a new one for a new key', () => {
    const env = { OPENAI_API_KEY: 'sk-one' };
    const first = selectModel(character(), { deployed: true, env });
    const again = selectModel(character(), { deployed: true, env: { ...env } });
    const rotated = selectModel(character(), { deployed: true, env: { OPENAI_API_KEY: 'sk-two' } });
    const otherModel = selectModel(character({ model: 'gpt-4.1' }), { deployed: true, env });
    expect(again.model).toBe(first.model);
    expect(rotated.model).not.toBe(first.model);
    expect(otherModel.model).not.toBe(first.model);
  });

  it('rejects an OPENAI_API value that is neither API', () => {
    expect(() =>
      selectModel(character(), {
        deployed: true,
        env: { OPENAI_API_KEY: 'sk-test', OPENAI_API: 'completions' },
      }),
    ).toThrow('OPENAI_API=completions is not an OpenAI API; use responses or chat_completions');
  });
});
