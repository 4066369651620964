import { useState } from 'react';
import { Button } from '../ui/Button';

export interface ComposerProps {
  generating: boolean;
  disabled: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
}

/** Enter sends, Shift+Enter adds a line, Esc stops the answer being written. */
export function Composer({ generating, disabled, onSend, onStop }: ComposerProps) {
  const [text, setText] = useState('');
  const send = () => {
    if (!text.trim() || generating || disabled) return;
    onSend(text);
    setText('');
  };
  return (
    <form
      className="chat-composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <textarea
        className="textarea"
        aria-label="Message"
        placeholder={disabled ? 'Pick a model to start' : 'Message (Enter to send, Shift+Enter for a new line)'}
        rows={2}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            send();
          } else if (event.key === 'Escape' && generating) {
            event.preventDefault();
            onStop();
          }
        }}
      />
      <div className="chat-composer-actions">
        <Button type="submit" variant="primary" disabled={disabled || generating || !text.trim()}>
          Send
        </Button>
        <Button variant="danger" disabled={!generating} onClick={onStop}>
          Stop
        </Button>
      </div>
    </form>
  );
}
