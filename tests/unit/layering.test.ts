import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering rules', () => {
  it('core may not import electron', async () => {
    expect(await restrictedImports('src/main/core/x/Thing.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
  });

  it('core may import node built-ins and shared', async () => {
    expect(await restrictedImports('src/main/core/x/Thing.ts', "import { join } from 'node:path';\nimport { AppError } from '../../../shared/errors';\nexport const a = [join, AppError];\n")).toEqual([]);
  });

  it('the renderer may not import node, electron or main', async () => {
    const file = 'src/renderer/x/Thing.tsx';
    expect(await restrictedImports(file, "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toHaveLength(1);
    expect(await restrictedImports(file, "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).toHaveLength(1);
    expect(await restrictedImports(file, "import { Store } from '../../main/core/store/Store';\nexport const a = Store;\n")).toHaveLength(1);
  });

  it('shared may not import anything platform-specific', async () => {
    const file = 'src/shared/x.ts';
    expect(await restrictedImports(file, "import { join } from 'node:path';\nexport const a = join;\n")).toHaveLength(1);
    expect(await restrictedImports(file, "import { useState } from 'react';\nexport const a = useState;\n")).toHaveLength(1);
  });

  it('only shell may import electron in main', async () => {
    expect(await restrictedImports('src/main/ipc/X.ts', "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n")).toHaveLength(1);
    expect(await restrictedImports('src/main/shell/X.ts', "import { ipcMain } from 'electron';\nexport const a = ipcMain;\n")).toEqual([]);
  });
});
