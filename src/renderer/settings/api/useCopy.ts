import { useToast } from '../../ui/Toast';

/** Copies text and says so (or why not: the clipboard is unavailable on plain-http pages in some browsers). */
export function useCopy(): (text: string, what: string) => void {
  const toast = useToast();
  return (text, what) => {
    navigator.clipboard.writeText(text).then(
      () => toast.show({ message: `Copied the ${what}.` }),
      () => toast.show({ message: `Could not copy the ${what}: the clipboard is not available here. Select it and copy by hand.` }),
    );
  };
}
