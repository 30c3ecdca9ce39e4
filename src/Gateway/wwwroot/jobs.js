import { attention, describeProblem, el, formatTime, request } from './api.js';
import { showStats } from './charts.js';
import { live } from './live.js';

const pageSize = 50;
const statusSelect = document.getElementById('status');
const searchInput = document.getElementById('search');
const rows = document.getElementById('rows');
const more = document.getElementById('more');
const message = document.getElementById('message');
const empty = document.getElementById('empty');
const counts = document.getElementById('counts');
const inbox = document.getElementById('inbox');
const reconciliation = document.getElementById('reconciliation');
const endpointBanner = document.getElementById('endpoint-banner');

// How many pages the operator opened with "More": each refresh reloads that many, so rows stay put.
let pages = 1;
let nextCursor = null;
let generation = 0;

function showMessage(text) {
  message.hidden = !text;
  message.textContent = text ?? '';
}

function query(cursor) {
  const params = new URLSearchParams({ limit: String(pageSize) });
  if (statusSelect.value) params.set('status', statusSelect.value);
  if (searchInput.value.trim()) params.set('q', searchInput.value.trim());
  if (cursor) params.set('cursor', cursor);
  return `/api/jobs?${params}`;
}

function renderCounts(body) {
  counts.replaceChildren(...Object.entries(body).map(([status, count]) => {
    const item = el('li', null, `count status-${status}`);
    const button = el('button', null);
    button.type = 'button';
    button.dataset.status = status;
    button.append(el('span', count, 'count-number'), el('span', status, 'count-name'));
    button.addEventListener('click', () => {
      statusSelect.value = statusSelect.value === status ? '' : status;
      reset();
    });
    item.append(button);
    return item;
  }));
}

// The Stripe inbox: events acknowledged to Stripe but not yet turned into jobs or subscription changes.
function renderInbox(body) {
  const age = body.oldestAgeSeconds >= 1 ? `, oldest ${Math.round(body.oldestAgeSeconds)} s` : '';
  const events = `${body.backlog} event${body.backlog === 1 ? '' : 's'}`;
  inbox.textContent = body.full
    ? `Stripe inbox full: ${events} waiting (bound ${body.bound})${age}; new deliveries are refused until it drains.`
    : `Stripe inbox: ${events} waiting to be processed${age}.`;
  inbox.classList.toggle('attention', body.full || body.oldestAgeSeconds >= 60);
}

// Reconciliation with Stripe's Events API: on or off, the last pass, and a banner while Stripe reports the endpoint disabled.
function renderReconciliation(body) {
  const minutes = Math.round(body.intervalSeconds / 60);
  const last = body.passes.find((pass) => pass.finishedAt);
  let text = body.enabled
    ? `Stripe reconciliation: every ${minutes} min` + (last ? `; last pass ${formatTime(last.finishedAt)}` : '; no pass yet')
    : `Stripe reconciliation: off (${body.offReason}).`;
  if (body.enabled && last) {
    text += last.error
      ? `: failed (${last.error}); retrying.`
      : `: ${last.listed} listed, ${last.alreadyPresent} already in the inbox, ${last.recovered} recovered.`;
  } else if (body.enabled) {
    text += '.';
  }
  reconciliation.textContent = text;
  reconciliation.classList.toggle('attention', Boolean(last && last.error));
  const disabled = body.enabled && body.endpointStatus === 'disabled';
  endpointBanner.hidden = !disabled;
  endpointBanner.textContent = disabled
    ? `Stripe webhook endpoint ${body.webhookEndpointId} is disabled: Stripe sends this service no events. ` +
      `Paid checkouts are recovered by reconciliation every ${minutes} min; enable the endpoint in Stripe's dashboard.`
    : '';
}

function row(job) {
  const tr = el('tr');
  tr.dataset.jobId = job.jobId;
  const reason = attention(job);
  if (reason) {
    tr.classList.add('attention');
    tr.title = `Needs attention: ${reason}`;
  }
  const link = el('a', job.jobId);
  link.href = `/job.html?id=${encodeURIComponent(job.jobId)}`;
  const id = el('td', null, 'id');
  id.dataset.label = 'Job';
  id.append(link);
  const cells = [
    ['Status', job.status, `status status-${job.status}`],
    ['User', job.userId],
    ['Agent', job.agentId],
    ['Region', job.region],
    ['Attempt', job.attempt],
    ['Created', formatTime(job.createdAt)],
    ['Updated', formatTime(job.updatedAt)],
  ].map(([label, text, className]) => {
    const td = el('td');
    td.dataset.label = label;
    td.append(el('span', text, className));
    return td;
  });
  tr.append(id, ...cells);
  return tr;
}

async function refresh() {
  const mine = ++generation;
  try {
    const [countAnswer, inboxAnswer, reconciliationAnswer] = await Promise.all([
      request('GET', '/api/jobs/counts'), request('GET', '/api/stripe/inbox'), request('GET', '/api/stripe/reconciliation'),
      showStats()]);
    const items = [];
    let cursor = null;
    for (let page = 0; page < pages; page++) {
      const answer = await request('GET', query(cursor));
      if (answer.status !== 200) {
        if (mine === generation) showMessage(describeProblem(answer));
        return;
      }
      items.push(...answer.body.items);
      cursor = answer.body.nextCursor;
      if (!cursor) break;
    }
    if (mine !== generation) return; // a newer refresh (new filter) has started
    if (countAnswer.status === 200) renderCounts(countAnswer.body);
    if (inboxAnswer.status === 200) renderInbox(inboxAnswer.body);
    if (reconciliationAnswer.status === 200) renderReconciliation(reconciliationAnswer.body);
    rows.replaceChildren(...items.map(row));
    nextCursor = cursor;
    more.hidden = !nextCursor;
    empty.hidden = items.length > 0;
    showMessage(null);
  } catch (error) {
    if (mine === generation) showMessage(`The gateway is not reachable (${error.message}); retrying.`);
  }
}

function reset() {
  pages = 1;
  refresh();
}

more.addEventListener('click', () => {
  pages += 1;
  refresh();
});
statusSelect.addEventListener('change', reset);
let typing;
searchInput.addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(reset, 300);
});
document.getElementById('filters').addEventListener('submit', (event) => {
  event.preventDefault();
  reset();
});

live(refresh);
