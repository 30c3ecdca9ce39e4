import { attentionRules, operatorKey, request } from './api.js';

// Live updates from the gateway's GET /api/live (server-sent events, read with fetch so the operator key can go along).
// Calls onChange() at start and whenever a job or the Stripe inbox's backlog changed, and keeps the header's attention count current. When the stream
// cannot be opened or drops, the page polls every pollMs until it is back.
const pollMs = 5000;
const reconnectMs = 3000;

export function live(onChange) {
  const count = document.getElementById('attention-count');
  const link = document.getElementById('attention-link');
  const state = document.getElementById('live-state');
  let version = null;
  let poller = null;
  let busy = false;
  let again = false;

  // One refresh at a time; a change during a refresh leads to one more refresh after it.
  async function changed() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        await onChange();
      } while (again);
    } finally {
      busy = false;
    }
  }

  function showAttention(total) {
    if (!count) return;
    count.textContent = String(total);
    link.classList.toggle('has-attention', total > 0);
    link.setAttribute('aria-label', `Attention: ${total} ${total === 1 ? 'thing needs' : 'things need'} a person`);
  }

  function showState(mode) {
    if (!state) return;
    state.dataset.mode = mode;
    state.textContent = mode === 'live' ? 'Live' : 'Polling';
    state.title = mode === 'live'
      ? 'The page updates as jobs change.'
      : `Live updates are unavailable; the page reloads every ${pollMs / 1000} seconds.`;
  }

  async function poll() {
    if (document.hidden) return;
    changed();
    try {
      const answer = await request('GET', '/api/attention');
      if (answer.status === 200) showAttention(answer.body.total);
    } catch {
      // The next poll tries again; the page shows its own message when the gateway is unreachable.
    }
  }

  function startPolling() {
    showState('polling');
    if (!poller) {
      poller = setInterval(poll, pollMs);
      poll();
    }
  }

  function stopPolling() {
    clearInterval(poller);
    poller = null;
  }

  function handle(update) {
    attentionRules.waitingAfterSeconds = update.waitingAfterSeconds;
    attentionRules.silentRunAfterSeconds = update.silentRunAfterSeconds;
    showAttention(update.attention);
    const seen = `${update.version}/${update.inboxBacklog}`;
    if (seen !== version) {
      version = seen;
      changed();
    }
  }

  async function connect() {
    const headers = { Accept: 'text/event-stream' };
    const key = operatorKey();
    if (key) headers.Authorization = `Bearer ${key}`;
    try {
      const response = await fetch('/api/live', { headers, cache: 'no-store' });
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      stopPolling();
      showState('live');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replaceAll('\r\n', '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const data = buffer.slice(0, end).split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trimStart())
            .join('\n');
          buffer = buffer.slice(end + 2);
          if (data) handle(JSON.parse(data));
        }
      }
    } catch {
      // Refused, unreachable or dropped: poll until the stream is back.
    }
    startPolling();
    setTimeout(connect, reconnectMs);
  }

  changed();
  connect();
}
