/** A model file known to the library, as the engine needs it. */
export interface ResolvedLocalModel {
  id: string;
  name: string;
  path: string;
  /** Null while the background hash is still running. */
  sha256: string | null;
  hasChatTemplate: boolean;
  trainContextSize: number | null;
}

/**
 * Turns `local:<id>` (or a path to a .gguf) into a file on disk. Implemented by ModelLibrary;
 * the engine depends only on this.
 */
export interface LocalModelResolver {
  resolve(idOrPath: string, options?: { importIfMissing?: boolean; signal?: AbortSignal }): Promise<ResolvedLocalModel>;
}
