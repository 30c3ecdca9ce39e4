import { askForKey, attention, describeProblem, el, formatTime, operatorKey, request, setOperatorKey } from './api.js';
import { live } from './live.js';

const jobId = new URLSearchParams(location.search).get('id');
const message = document.getElementById('message');
const actionResult = document.getElementById('action-result');
const forgetKey = document.getElementById('forget-key');

function show(node, text) {
  node.hidden = !text;
  node.textContent = text ?? '';
}

function field(label, value) {
  const fragment = document.createDocumentFragment();
  const dd = el('dd');
  if (value instanceof Node) {
    dd.append(value);
  } else {
    dd.textContent = value ?? '—';
  }
  dd.dataset.field = label;
  fragment.append(el('dt', label), dd);
  return fragment;
}

function render(job) {
  document.title = `Job ${job.jobId}`;
  document.getElementById('title').textContent = job.jobId;
  const status = el('span', job.status, `status status-${job.status}`);
  status.id = 'job-status';
  let run = null;
  // A run URL comes from a callback; only an https one becomes a link (no javascript: or data: URLs).
  if (job.runUrl && /^https:\/\//i.test(job.runUrl)) {
    run = el('a', job.runId ? `run ${job.runId}` : job.runUrl);
    run.href = job.runUrl;
    run.rel = 'noopener noreferrer';
    run.target = '_blank';
  }
  document.getElementById('fields').replaceChildren(
    field('Status', status),
    field('User', job.userId),
    field('Agent', job.agentId),
    field('Region', job.region),
    field('Attempt', job.attempt),
    field('Run', run ?? job.runId),
    field('Run attempt', job.runAttempt),
    field('Created', formatTime(job.createdAt)),
    field('Updated', formatTime(job.updatedAt)),
    field('Last heartbeat', formatTime(job.lastHeartbeatAt)),
    field('Stripe event', job.stripeEventId),
  );
  show(document.getElementById('attention'), attention(job) ? `Needs attention: ${attention(job)}` : null);
  document.getElementById('last-error').textContent = job.lastError ?? '—';
  document.getElementById('output').textContent = job.output == null ? '—' : JSON.stringify(job.output, null, 2);
  document.getElementById('history').replaceChildren(...[...job.history].reverse().map((entry) => {
    const item = el('li');
    const head = el('div', null, 'timeline-head');
    head.append(
      el('time', formatTime(entry.at)),
      el('span', `${entry.from ?? 'created'} → ${entry.to}`, 'transition'),
      el('span', entry.actorName ? `${entry.actor} (${entry.actorName})` : entry.actor, 'actor'));
    item.append(head, el('div', entry.reason, 'reason'));
    return item;
  }));
  document.getElementById('retry').disabled = !['failed', 'cancelled'].includes(job.status);
  document.getElementById('cancel').disabled = ['succeeded', 'failed', 'cancelled'].includes(job.status);
  document.getElementById('job').hidden = false;
}

async function refresh() {
  if (!jobId) {
    show(message, 'No job id: open a job from the list.');
    return;
  }
  try {
    const answer = await request('GET', `/api/jobs/${encodeURIComponent(jobId)}`);
    if (answer.status === 200) {
      show(message, null);
      render(answer.body);
    } else {
      show(message, answer.status === 404 ? `No job has the id ${jobId}.` : describeProblem(answer));
    }
  } catch (error) {
    show(message, `The gateway is not reachable (${error.message}); retrying.`);
  }
}

async function act(action) {
  show(actionResult, null);
  if (!operatorKey() && !(await askForKey())) return;
  if (!window.confirm(`${action === 'retry' ? 'Retry' : 'Cancel'} job ${jobId}?`)) return;
  try {
    const answer = await request('POST', `/api/jobs/${encodeURIComponent(jobId)}/${action}`, {});
    if (answer.status === 200) {
      show(actionResult, `${action === 'retry' ? 'Retried' : 'Cancelled'}: the job is now ${answer.body.status}.`);
      actionResult.className = 'message ok';
      render(answer.body);
      return;
    }
    if (answer.status === 401) setOperatorKey(null);
    actionResult.className = 'message error';
    show(actionResult, describeProblem(answer));
  } catch (error) {
    actionResult.className = 'message error';
    show(actionResult, `The gateway is not reachable (${error.message}).`);
  } finally {
    forgetKey.hidden = !operatorKey();
  }
}

document.getElementById('retry').addEventListener('click', () => act('retry'));
document.getElementById('cancel').addEventListener('click', () => act('cancel'));
forgetKey.hidden = !operatorKey();
forgetKey.addEventListener('click', () => {
  setOperatorKey(null);
  forgetKey.hidden = true;
});

live(refresh);
