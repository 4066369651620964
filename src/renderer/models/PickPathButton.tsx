import { useMutation } from '@tanstack/react-query';
import type { PickPathInput } from '../../shared/contract';
import { call } from '../api/client';
import { useClient } from '../api/ClientContext';
import { useAppInfo } from '../settings/AboutPanel';
import { Button } from '../ui/Button';

/**
 * "Choose…" next to a path field: the native open dialog of the desktop app. Renders nothing in
 * the browser, where a page cannot learn a file's path and the field is typed instead.
 */
export function PickPathButton({ request, label, onPick }: { request: PickPathInput; label: string; onPick: (path: string) => void }) {
  const client = useClient();
  const info = useAppInfo();
  const pick = useMutation({
    mutationFn: () => call(client, 'app.pickPath', request),
    onSuccess: ({ path }) => {
      if (path) onPick(path);
    },
  });
  if (info.data?.mode !== 'desktop') return null;
  return (
    <Button type="button" onClick={() => pick.mutate()} busy={pick.isPending}>
      {label}
    </Button>
  );
}
