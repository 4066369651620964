import { useQuery } from '@tanstack/react-query';
import type { AppInfo } from '../../shared/contract';
import { call } from '../api/client';
import { useClient } from '../api/ClientContext';
import { Button } from '../ui/Button';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Spinner } from '../ui/Spinner';
import { useToast } from '../ui/Toast';

export const APP_INFO_QUERY_KEY = ['app', 'info'] as const;

export function useAppInfo() {
  const client = useClient();
  return useQuery({ queryKey: APP_INFO_QUERY_KEY, queryFn: () => call(client, 'app.info', {}), staleTime: Infinity });
}

const MODE_LABEL: Record<AppInfo['mode'], string> = {
  desktop: 'Desktop app',
  serve: 'Browser (parity serve)',
  cli: 'Command line',
};

function CopyButton({ text, what }: { text: string; what: string }) {
  const toast = useToast();
  return (
    <Button
      size="sm"
      variant="ghost"
      aria-label={`Copy ${what}`}
      onClick={() => {
        navigator.clipboard.writeText(text).then(
          () => toast.show({ message: `Copied ${what}.` }),
          () => toast.show({ message: `Could not copy the ${what}: the clipboard is not available here.` }),
        );
      }}
    >
      Copy
    </Button>
  );
}

/** Every field of `app.info`: what a bug report needs, and where the data lives. */
export function AboutPanel() {
  const info = useAppInfo();
  if (info.isPending) return <Spinner label="Loading app information…" showLabel />;
  if (info.error) return <ErrorBanner title="Could not read app information" error={info.error} onRetry={() => void info.refetch()} />;
  const d = info.data;
  const notElectron = d.mode === 'desktop' ? 'Unknown' : 'Not used in this mode';
  const rows: Array<[string, string, 'path' | 'text']> = [
    ['Name', d.name, 'text'],
    ['Version', d.version, 'text'],
    ['Mode', MODE_LABEL[d.mode], 'text'],
    ['Data folder', d.dataDir, 'path'],
    ['Database', d.databasePath, 'path'],
    ['Schema version', String(d.schemaVersion), 'text'],
    ['Node.js', d.nodeVersion, 'text'],
    ['Electron', d.electronVersion ?? notElectron, 'text'],
    ['Chrome', d.chromeVersion ?? notElectron, 'text'],
    ['Platform', `${d.platform} (${d.arch})`, 'text'],
  ];
  return (
    <dl className="kv card">
      {rows.map(([label, value, kind]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>
            <span className={kind === 'path' ? 'mono' : undefined}>{value}</span>
            {kind === 'path' && <CopyButton text={value} what={label.toLowerCase()} />}
          </dd>
        </div>
      ))}
    </dl>
  );
}
