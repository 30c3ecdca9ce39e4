// Talks to the gateway's /api. The operator key lives in this tab's sessionStorage only: it is sent with every request
// once entered (reads need it when the gateway is not on loopback) and forgotten when the tab closes.
const keyName = 'provisioning.operatorKey';

export function operatorKey() {
  return sessionStorage.getItem(keyName);
}

export function setOperatorKey(key) {
  if (key) {
    sessionStorage.setItem(keyName, key);
  } else {
    sessionStorage.removeItem(keyName);
  }
}

// Returns { status, body } for any HTTP answer; throws only when the gateway cannot be reached.
export async function request(method, path, body) {
  const headers = { Accept: 'application/json' };
  const key = operatorKey();
  if (key) {
    headers.Authorization = `Bearer ${key}`;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { detail: text };
  }
  return { status: response.status, body: parsed };
}

// A readable sentence for an answer that is not 2xx (RFC 7807 problems carry title and detail).
export function describeProblem(answer) {
  const body = answer.body ?? {};
  if (answer.status === 401) {
    return 'Operator key needed or not accepted (401). Enter a valid key.';
  }
  if (answer.status === 409) {
    return `Not allowed now (409): ${body.detail ?? 'the job is not in a state that allows it'}` +
      (body.jobStatus ? ` — the job is ${body.jobStatus}.` : '');
  }
  const text = [body.title, body.detail].filter(Boolean).join(': ');
  return `${answer.status}${text ? ` ${text}` : ''}`;
}

// The gateway's attention settings (Gateway:Dashboard), as the live updates last reported them; the defaults until then.
export const attentionRules = { waitingAfterSeconds: 600, silentRunAfterSeconds: 180 };

function duration(seconds) {
  return seconds >= 120 ? `${Math.round(seconds / 60)} minutes` : `${Math.round(seconds)} seconds`;
}

// Attention rules shared by the list and the job page (the attention view asks the gateway, which applies the same ones).
export function attention(job, now = Date.now()) {
  const seconds = (at) => (now - Date.parse(at)) / 1000;
  if (job.status === 'failed') {
    return 'failed';
  }
  if (job.status === 'waiting' && seconds(job.updatedAt) > attentionRules.waitingAfterSeconds) {
    return `waiting for more than ${duration(attentionRules.waitingAfterSeconds)}`;
  }
  if (job.status === 'provisioning' && seconds(job.lastHeartbeatAt ?? job.updatedAt) > attentionRules.silentRunAfterSeconds) {
    return `no heartbeat for more than ${duration(attentionRules.silentRunAfterSeconds)}`;
  }
  return null;
}

// Asks for the operator key in the page's #key-dialog; resolves to the key (kept for this tab) or null when dismissed.
export function askForKey() {
  const dialog = document.getElementById('key-dialog');
  const input = document.getElementById('key-input');
  return new Promise((resolve) => {
    input.value = '';
    dialog.addEventListener('close', () => {
      const key = dialog.returnValue === 'save' ? input.value.trim() : '';
      if (key) setOperatorKey(key);
      resolve(key || null);
    }, { once: true });
    dialog.showModal();
  });
}

export function formatTime(at) {
  return at ? new Date(at).toLocaleString() : '—';
}

// Creates an element with text content only: data never becomes markup.
export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) {
    node.textContent = String(text);
  }
  if (className) {
    node.className = className;
  }
  return node;
}
