import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { GgmlType, GgufFileType, GgufInsights, readGgufFileInfo, type Llama } from 'node-llama-cpp';
import { AppError } from '../../../shared/errors';

/** What the library keeps about a GGUF file; everything read from its header, nothing from its name. */
export interface GgufSummary {
  sizeBytes: number;
  architecture: string | null;
  generalName: string | null;
  parameterCount: number | null;
  quantization: string | null;
  trainContextSize: number | null;
  hasChatTemplate: boolean;
  license: string | null;
  licenseName: string | null;
}

export interface InspectedGguf {
  summary: GgufSummary;
  insights: GgufInsights;
}

const GGUF_MAGIC = 'GGUF';

function invalid(path: string, problem: string, cause?: unknown): AppError {
  return new AppError(
    'MODEL_INVALID_FILE',
    `${basename(path)} cannot be used as a model: ${problem}. Nothing was added to the library.`,
    { path, problem },
    cause === undefined ? undefined : { cause },
  );
}

async function readMagic(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buffer, 0, 4, 0);
    return buffer.subarray(0, bytesRead).toString('latin1');
  } finally {
    await handle.close();
  }
}

function quantizationName(fileType: number | undefined, dominant: GgmlType | undefined): string | null {
  if (fileType !== undefined && GgufFileType[fileType]) return GgufFileType[fileType].replace(/^MOSTLY_/, '');
  // Older converters (and F32 files) leave general.file_type out; the dominant tensor type says the same.
  if (dominant !== undefined && GgmlType[dominant]) return GgmlType[dominant];
  return null;
}

/**
 * Reads a GGUF's header and checks the file is whole: a file cut short still has a readable header,
 * so its size is compared with where the last tensor ends.
 */
export async function inspectGguf(path: string, llama: Llama, options: { signal?: AbortSignal } = {}): Promise<InspectedGguf> {
  let sizeBytes: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw invalid(path, 'it is not a regular file');
    sizeBytes = info.size;
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'MODEL_INVALID_FILE',
      code === 'ENOENT' ? `No file at ${path}. Check the path and try again.` : `${path} cannot be read (${code ?? String(error)}).`,
      { path },
      { cause: error },
    );
  }
  if (sizeBytes < 16) throw invalid(path, `the file is only ${sizeBytes} bytes, too small to be a GGUF model`);
  const magic = await readMagic(path);
  if (magic !== GGUF_MAGIC) {
    throw invalid(path, `it is not a GGUF file (it should start with "GGUF", it starts with ${JSON.stringify(magic)})`);
  }

  let fileInfo;
  try {
    fileInfo = await readGgufFileInfo(path, { sourceType: 'filesystem', logWarnings: false, signal: options.signal });
  } catch (error) {
    throw invalid(path, `its GGUF header is damaged or cut short (${error instanceof Error ? error.message : String(error)})`, error);
  }
  let insights: GgufInsights;
  try {
    insights = await GgufInsights.from(fileInfo, llama);
  } catch (error) {
    throw invalid(path, `its tensors cannot be understood (${error instanceof Error ? error.message : String(error)})`, error);
  }
  const expected = (fileInfo.infoEndOffset ?? 0) + insights.modelSize;
  if (fileInfo.splicedParts === 1 && sizeBytes < expected) {
    throw invalid(
      path,
      `the file is truncated: it has ${sizeBytes.toLocaleString('en-US')} bytes but its tensors need ${expected.toLocaleString('en-US')} (an interrupted copy or download?)`,
    );
  }

  const general = fileInfo.metadata.general;
  const trainContext = insights.trainContextSize;
  const summary: GgufSummary = {
    sizeBytes,
    architecture: general?.architecture ? String(general.architecture) : null,
    generalName: general?.name ? String(general.name) : null,
    parameterCount: insights.totalParameters > 0 ? insights.totalParameters : null,
    quantization: quantizationName(general?.file_type, insights.dominantTensorType),
    trainContextSize: typeof trainContext === 'number' && trainContext > 0 ? trainContext : null,
    hasChatTemplate: typeof fileInfo.metadata.tokenizer?.chat_template === 'string' && fileInfo.metadata.tokenizer.chat_template.length > 0,
    license: general?.license ? String(general.license) : null,
    licenseName: general?.['license.name'] ? String(general['license.name']) : null,
  };
  return { summary, insights };
}
