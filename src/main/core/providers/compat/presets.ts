/** Known OpenAI-compatible servers with their default base URLs, for one-click setup. */
export interface CompatPreset {
  id: string;
  label: string;
  baseUrl: string;
  /** Conventional environment variable for the key; null for local servers that need none. */
  keyEnv: string | null;
  /** Conventional environment variable that moves the server (promptfoo's OLLAMA_BASE_URL). */
  baseUrlEnv?: string;
}

export const COMPAT_PRESETS: readonly CompatPreset[] = [
  { id: 'ollama', label: 'Ollama', baseUrl: 'http://localhost:11434/v1', keyEnv: null, baseUrlEnv: 'OLLAMA_BASE_URL' },
  { id: 'lmstudio', label: 'LM Studio', baseUrl: 'http://localhost:1234/v1', keyEnv: null },
  { id: 'llamacpp', label: 'llama.cpp server', baseUrl: 'http://localhost:8080/v1', keyEnv: null },
  { id: 'vllm', label: 'vLLM', baseUrl: 'http://localhost:8000/v1', keyEnv: null },
  { id: 'together', label: 'Together AI', baseUrl: 'https://api.together.xyz/v1', keyEnv: 'TOGETHER_API_KEY' },
  { id: 'fireworks', label: 'Fireworks AI', baseUrl: 'https://api.fireworks.ai/inference/v1', keyEnv: 'FIREWORKS_API_KEY' },
  { id: 'groq', label: 'Groq', baseUrl: 'https://api.groq.com/openai/v1', keyEnv: 'GROQ_API_KEY' },
  { id: 'openrouter', label: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', keyEnv: 'OPENROUTER_API_KEY' },
  { id: 'mistral', label: 'Mistral', baseUrl: 'https://api.mistral.ai/v1', keyEnv: 'MISTRAL_API_KEY' },
  { id: 'deepseek', label: 'DeepSeek', baseUrl: 'https://api.deepseek.com/v1', keyEnv: 'DEEPSEEK_API_KEY' },
];
