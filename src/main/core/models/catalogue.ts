import type { CatalogueEntry, Hardware } from '../../../shared/contract/models';
import { estimateFit } from './fit';
import { describeLicence } from './licence';

export interface CatalogueItem {
  id: string;
  name: string;
  parameters: string;
  quantization: string;
  /** Approximate file size; the host's Content-Length is what the download trusts. */
  sizeBytes: number;
  /** Model plus a 4K-token context and runtime overhead, rounded up. */
  ramBytes: number;
  licenceId: string;
  uri: string;
  /** Null: the host publishes the digest (Hugging Face LFS), which the download checks. */
  sha256: string | null;
  trainContextSize: number;
  description: string;
}

const GB = 1000 ** 3;
const MB = 1000 ** 2;

/** Recommended small and medium GGUFs, Q4_K_M: the usual balance of quality and size. */
export const CATALOGUE: readonly CatalogueItem[] = [
  {
    id: 'qwen2.5-0.5b-instruct-q4_k_m',
    name: 'Qwen2.5 0.5B Instruct',
    parameters: '0.5B',
    quantization: 'Q4_K_M',
    sizeBytes: 491 * MB,
    ramBytes: 1.0 * GB,
    licenceId: 'apache-2.0',
    uri: 'hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf',
    sha256: null,
    trainContextSize: 32768,
    description: 'Tiny and fast; fine for simple chat and testing on any machine.',
  },
  {
    id: 'qwen2.5-1.5b-instruct-q4_k_m',
    name: 'Qwen2.5 1.5B Instruct',
    parameters: '1.5B',
    quantization: 'Q4_K_M',
    sizeBytes: 1117 * MB,
    ramBytes: 1.8 * GB,
    licenceId: 'apache-2.0',
    uri: 'hf:Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf',
    sha256: null,
    trainContextSize: 32768,
    description: 'Small multilingual assistant with good instruction following for its size.',
  },
  {
    id: 'llama-3.2-1b-instruct-q4_k_m',
    name: 'Llama 3.2 1B Instruct',
    parameters: '1.2B',
    quantization: 'Q4_K_M',
    sizeBytes: 808 * MB,
    ramBytes: 1.6 * GB,
    licenceId: 'llama3.2',
    uri: 'hf:bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf',
    sha256: null,
    trainContextSize: 131072,
    description: "Meta's smallest instruct model; quick summaries and rewriting.",
  },
  {
    id: 'llama-3.2-3b-instruct-q4_k_m',
    name: 'Llama 3.2 3B Instruct',
    parameters: '3.2B',
    quantization: 'Q4_K_M',
    sizeBytes: 2019 * MB,
    ramBytes: 3.2 * GB,
    licenceId: 'llama3.2',
    uri: 'hf:bartowski/Llama-3.2-3B-Instruct-GGUF/Llama-3.2-3B-Instruct-Q4_K_M.gguf',
    sha256: null,
    trainContextSize: 131072,
    description: 'A capable everyday assistant that still runs on most laptops.',
  },
  {
    id: 'gemma-2-2b-it-q4_k_m',
    name: 'Gemma 2 2B Instruct',
    parameters: '2.6B',
    quantization: 'Q4_K_M',
    sizeBytes: 1709 * MB,
    ramBytes: 2.8 * GB,
    licenceId: 'gemma',
    uri: 'hf:bartowski/gemma-2-2b-it-GGUF/gemma-2-2b-it-Q4_K_M.gguf',
    sha256: null,
    trainContextSize: 8192,
    description: "Google's compact model; strong writing for its size.",
  },
  {
    id: 'phi-3.5-mini-instruct-q4_k_m',
    name: 'Phi-3.5 mini Instruct',
    parameters: '3.8B',
    quantization: 'Q4_K_M',
    sizeBytes: 2393 * MB,
    ramBytes: 3.8 * GB,
    licenceId: 'mit',
    uri: 'hf:bartowski/Phi-3.5-mini-instruct-GGUF/Phi-3.5-mini-instruct-Q4_K_M.gguf',
    sha256: null,
    trainContextSize: 131072,
    description: "Microsoft's small reasoning-focused model, MIT licensed.",
  },
  {
    id: 'mistral-7b-instruct-v0.3-q4_k_m',
    name: 'Mistral 7B Instruct v0.3',
    parameters: '7.2B',
    quantization: 'Q4_K_M',
    sizeBytes: 4372 * MB,
    ramBytes: 5.6 * GB,
    licenceId: 'apache-2.0',
    uri: 'hf:bartowski/Mistral-7B-Instruct-v0.3-GGUF/Mistral-7B-Instruct-v0.3-Q4_K_M.gguf',
    sha256: null,
    trainContextSize: 32768,
    description: 'A well-known 7B general assistant; needs 8 GB of RAM or a GPU.',
  },
  {
    id: 'qwen2.5-7b-instruct-q4_k_m',
    name: 'Qwen2.5 7B Instruct',
    parameters: '7.6B',
    quantization: 'Q4_K_M',
    sizeBytes: 4683 * MB,
    ramBytes: 6.0 * GB,
    licenceId: 'apache-2.0',
    uri: 'hf:bartowski/Qwen2.5-7B-Instruct-GGUF/Qwen2.5-7B-Instruct-Q4_K_M.gguf',
    sha256: null,
    trainContextSize: 32768,
    description: 'Strong 7B assistant for code and multilingual work; needs 8 GB of RAM or a GPU.',
  },
  // Embedding models: they answer no chat, they turn passages into vectors for document collections.
  {
    id: 'bge-small-en-v1.5-q8_0',
    name: 'BGE small en v1.5 (embeddings)',
    parameters: '33M',
    quantization: 'Q8_0',
    sizeBytes: 37 * MB,
    ramBytes: 0.2 * GB,
    licenceId: 'mit',
    uri: 'hf:ChristianAzinn/bge-small-en-v1.5-gguf/bge-small-en-v1.5.Q8_0.gguf',
    sha256: null,
    trainContextSize: 512,
    description: 'Embedding model for Documents collections (vector and hybrid search): English, 384 dimensions, fast on any CPU. Not a chat model.',
  },
  {
    id: 'nomic-embed-text-v1.5-q4_k_m',
    name: 'Nomic Embed Text v1.5 (embeddings)',
    parameters: '137M',
    quantization: 'Q4_K_M',
    sizeBytes: 84 * MB,
    ramBytes: 0.4 * GB,
    licenceId: 'apache-2.0',
    uri: 'hf:nomic-ai/nomic-embed-text-v1.5-GGUF/nomic-embed-text-v1.5.Q4_K_M.gguf',
    sha256: null,
    trainContextSize: 2048,
    description: 'Embedding model for Documents collections with longer passages (2,048 tokens), 768 dimensions. Not a chat model.',
  },
];

/** The catalogue with a fit estimated from size (the file is not here yet) and whether it is already in the library. */
export function catalogueWithFit(hardware: Hardware, inLibrary: (item: CatalogueItem) => string | null): CatalogueEntry[] {
  return CATALOGUE.map((item) => ({
    id: item.id,
    name: item.name,
    parameters: item.parameters,
    quantization: item.quantization,
    sizeBytes: item.sizeBytes,
    ramBytes: item.ramBytes,
    licence: describeLicence(item.licenceId),
    uri: item.uri,
    sha256: item.sha256,
    description: item.description,
    fit: estimateFit(item.sizeBytes, item.ramBytes, hardware, item.trainContextSize),
    inLibrary: inLibrary(item),
  }));
}

export function findCatalogueItem(id: string): CatalogueItem | undefined {
  return CATALOGUE.find((item) => item.id === id);
}
