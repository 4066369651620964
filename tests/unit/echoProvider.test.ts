import { describe, expect, it } from 'vitest';
import { EchoProvider } from '../../src/main/core/providers/echo/EchoProvider';

describe('EchoProvider', () => {
  it('answers with the prompt but is never offered in a model picker (it would become the default model)', async () => {
    const echo = new EchoProvider();
    expect(await echo.listModels()).toEqual([]);
    let text = '';
    for await (const event of echo.stream({ model: 'echo', messages: [{ role: 'user', content: 'hi there' }], params: {} })) if (event.type === 'done') text = event.text;
    expect(text).toBe('hi there');
  });
});
