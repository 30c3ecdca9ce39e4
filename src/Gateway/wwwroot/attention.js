import { askForKey, describeProblem, el, formatTime, operatorKey, request, setOperatorKey } from './api.js';
import { live } from './live.js';

const message = document.getElementById('message');
const retryResult = document.getElementById('retry-result');
const banner = document.getElementById('endpoint-banner');

function show(node, text, className) {
  node.hidden = !text;
  node.textContent = text ?? '';
  if (className) node.className = className;
}

function jobLink(jobId) {
  const link = el('a', jobId);
  link.href = `/job.html?id=${encodeURIComponent(jobId)}`;
  return link;
}

function cell(label, ...content) {
  const td = el('td');
  td.dataset.label = label;
  td.append(...content);
  return td;
}

function minutes(seconds) {
  return seconds >= 120 ? `${Math.round(seconds / 60)} minutes` : `${Math.round(seconds)} seconds`;
}

function groupRow(group) {
  const tr = el('tr');
  tr.dataset.error = group.lastError;
  const ids = el('span', null, 'ids');
  group.jobIds.forEach((id, i) => ids.append(...(i ? [', '] : []), jobLink(id)));
  const retry = el('button', 'Retry these');
  retry.type = 'button';
  retry.className = 'retry-group';
  retry.addEventListener('click', () => retryGroup(group));
  tr.append(
    cell('Last error', el('span', group.lastError || '(no error recorded)', 'error-text')),
    cell('Jobs', el('span', group.jobs)),
    cell('Latest', el('span', formatTime(group.latestAt))),
    cell('Newest jobs', ids),
    cell('Action', retry));
  return tr;
}

function jobItem(job, detail) {
  const item = el('li');
  item.dataset.jobId = job.jobId;
  item.append(jobLink(job.jobId), el('span', ` ${job.status}, user ${job.userId}, attempt ${job.attempt} — ${detail(job)}`, 'muted'));
  return item;
}

function list(id, section, detail, empty) {
  const node = document.getElementById(id);
  const items = section.jobs.map((job) => jobItem(job, detail));
  if (section.more) items.push(el('li', `… and more than ${section.jobs.length} others`, 'muted'));
  node.replaceChildren(...(items.length ? items : [el('li', empty, 'muted')]));
}

function render(body) {
  const failed = body.failed;
  document.getElementById('failed-summary').textContent = failed.jobs === 0
    ? 'No failed jobs.'
    : `${failed.jobs} failed job${failed.jobs === 1 ? '' : 's'}; the newest ${Math.min(failed.jobs, failed.sampled)} grouped by last error.`;
  document.getElementById('failed-groups').replaceChildren(...failed.groups.map(groupRow));
  document.getElementById('waiting-title').textContent = `Waiting longer than ${minutes(body.waiting.afterSeconds)}`;
  list('waiting', body.waiting, (job) => `waiting since ${formatTime(job.updatedAt)}`, 'None.');
  document.getElementById('silent-title').textContent = `Runs without a heartbeat for over ${minutes(body.silentRuns.afterSeconds)}`;
  list('silent', body.silentRuns, (job) => `last heartbeat ${formatTime(job.lastHeartbeatAt ?? job.updatedAt)}`, 'None.');
  list('limited', body.rateLimited, (job) => job.lastError ?? 'rate limited', 'None.');
  const endpoint = body.stripeEndpoint;
  show(banner, endpoint.disabled
    ? `Stripe webhook endpoint ${endpoint.webhookEndpointId} is disabled: Stripe sends this service no events. ` +
      'Reconciliation recovers paid checkouts; enable the endpoint in Stripe\'s dashboard.'
    : null);
  document.getElementById('all-clear').hidden = body.total !== 0;
}

async function refresh() {
  try {
    const answer = await request('GET', '/api/attention');
    if (answer.status !== 200) {
      show(message, describeProblem(answer));
      return;
    }
    show(message, null);
    render(answer.body);
  } catch (error) {
    show(message, `The gateway is not reachable (${error.message}); retrying.`);
  }
}

async function retryGroup(group) {
  show(retryResult, null);
  if (!operatorKey() && !(await askForKey())) return;
  const what = group.lastError ? `with the error "${group.lastError}"` : 'without a recorded error';
  if (!window.confirm(`Retry the failed jobs ${what}? (${group.jobs} in the newest failures)`)) return;
  try {
    const answer = await request('POST', '/api/jobs/retry', { status: 'failed', lastError: group.lastError, limit: 500 });
    if (answer.status === 200) {
      const skipped = answer.body.skipped.length ? `; ${answer.body.skipped.length} not retried` : '';
      show(retryResult, `Retried ${answer.body.retried} job${answer.body.retried === 1 ? '' : 's'}${skipped}.`, 'message ok');
      await refresh();
      return;
    }
    if (answer.status === 401) setOperatorKey(null);
    show(retryResult, describeProblem(answer), 'message error');
  } catch (error) {
    show(retryResult, `The gateway is not reachable (${error.message}).`, 'message error');
  }
}

live(refresh);
