/** The three ways Settings → API shows to call Parity: curl, Python `openai`, JS `openai`. */
export type SnippetKind = 'curl' | 'python' | 'javascript';

export const SNIPPET_LABELS: Record<SnippetKind, string> = { curl: 'curl', python: 'Python (openai)', javascript: 'JavaScript (openai)' };

/**
 * A local model without max_tokens writes until its context is full (OpenAI's rule), so the snippets set one.
 * The key is never in a snippet: it reads PARITY_API_KEY from the environment, so a copied snippet leaks nothing. */
export function apiSnippet(kind: SnippetKind, baseUrl: string, model: string): string {
  const m = JSON.stringify(model);
  switch (kind) {
    case 'curl':
      return [
        `curl -N ${baseUrl}/chat/completions \\`,
        `  -H "Authorization: Bearer $PARITY_API_KEY" \\`,
        `  -H "Content-Type: application/json" \\`,
        `  -d '${JSON.stringify({ model, stream: true, max_tokens: 256, messages: [{ role: 'user', content: 'Hello' }] })}'`,
      ].join('\n');
    case 'python':
      return [
        'import os',
        'from openai import OpenAI',
        '',
        `client = OpenAI(base_url=${JSON.stringify(baseUrl)}, api_key=os.environ["PARITY_API_KEY"])`,
        `reply = client.chat.completions.create(model=${m}, max_tokens=256, messages=[{"role": "user", "content": "Hello"}])`,
        'print(reply.choices[0].message.content)',
      ].join('\n');
    case 'javascript':
      return [
        "import OpenAI from 'openai';",
        '',
        `const client = new OpenAI({ baseURL: ${JSON.stringify(baseUrl)}, apiKey: process.env.PARITY_API_KEY });`,
        `const reply = await client.chat.completions.create({ model: ${m}, max_tokens: 256, messages: [{ role: 'user', content: 'Hello' }] });`,
        'console.log(reply.choices[0].message.content);',
      ].join('\n');
  }
}
