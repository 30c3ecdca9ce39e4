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

// Attention rules shared by the list and the job page.
export function attention(job, now = Date.now()) {
  const minutes = (at) => (now - Date.parse(at)) / 60000;
  if (job.status === 'failed') {
    return 'failed';
  }
  if (job.status === 'waiting' && minutes(job.updatedAt) > 10) {
    return 'waiting for more than 10 minutes';
  }
  if (job.status === 'provisioning' && minutes(job.lastHeartbeatAt ?? job.updatedAt) > 1) {
    return 'no heartbeat for more than a minute';
  }
  return null;
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
