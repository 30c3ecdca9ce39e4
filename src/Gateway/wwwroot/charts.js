import { describeProblem, request } from './api.js';

// The jobs page's charts, drawn with uPlot (wwwroot/lib, loaded by the page as a classic script) from GET /api/stats.
const windowSelect = document.getElementById('window');
const summary = document.getElementById('stats-summary');
const charts = new Map();
let last = null;

const colors = {
  received: '#2456c7', succeeded: '#1c7c3c', failed: '#b3261e', cancelled: '#5f6b7a',
  p50: '#2456c7', p95: '#9a6700', retries: '#9a6700', rateLimits: '#b3261e',
};

const definitions = [
  {
    id: 'chart-jobs',
    series: [
      ['received', 'Checkouts received', (i) => i.received],
      ['succeeded', 'Succeeded', (i) => i.succeeded],
      ['failed', 'Failed', (i) => i.failed],
      ['cancelled', 'Cancelled', (i) => i.cancelled],
    ],
  },
  {
    id: 'chart-durations',
    unit: 's',
    series: [
      ['p50', 'Payment to succeeded, p50 (s)', (i) => i.paidToSucceededP50Seconds],
      ['p95', 'Payment to succeeded, p95 (s)', (i) => i.paidToSucceededP95Seconds],
    ],
  },
  {
    id: 'chart-dispatch',
    series: [
      ['retries', 'Dispatch retries', (i) => i.dispatchRetries],
      ['rateLimits', 'Rate-limit waits', (i) => i.rateLimitWaits],
    ],
  },
];

// Points only where something happened: a lone interval with figures stays visible, a quiet window stays calm.
function marked(u, seriesIndex) {
  const values = u.data[seriesIndex];
  const indices = [];
  values.forEach((value, index) => {
    if (value) indices.push(index);
  });
  return indices;
}

function draw(stats) {
  const x = stats.intervals.map((i) => Date.parse(i.start) / 1000);
  for (const definition of definitions) {
    const container = document.getElementById(definition.id);
    const width = Math.max(240, container.clientWidth);
    const data = [x, ...definition.series.map(([, , pick]) => stats.intervals.map(pick))];
    const existing = charts.get(definition.id);
    if (existing && existing.width === width && existing.series.length === data.length) {
      existing.setData(data);
      continue;
    }
    existing?.destroy();
    const chart = new window.uPlot({
      width,
      height: 200,
      cursor: { drag: { x: false, y: false } },
      scales: { y: { range: (u, min, max) => [0, Math.max(1, max ?? 1)] } },
      series: [
        {},
        ...definition.series.map(([key, label]) => ({
          label, stroke: colors[key], width: 2, spanGaps: definition.unit === 's',
          points: { show: true, size: 6, fill: colors[key], filter: marked },
        })),
      ],
      axes: [{}, { size: 48, values: (u, ticks) => ticks.map((t) => `${t}${definition.unit ?? ''}`) }],
    }, data, container);
    charts.set(definition.id, chart);
  }
}

function seconds(value) {
  return value === null || value === undefined ? '—' : `${value} s`;
}

function describe(stats) {
  const t = stats.totals;
  const names = { '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days' };
  return `${names[stats.window]}: ${t.received} checkouts received, ${t.succeeded} succeeded, ${t.failed} failed, ` +
    `${t.cancelled} cancelled; payment to succeeded p50 ${seconds(t.paidToSucceededP50Seconds)}, ` +
    `p95 ${seconds(t.paidToSucceededP95Seconds)}; ${t.dispatchRetries} dispatch retries, ${t.rateLimitWaits} rate-limit waits.`;
}

// Loads the selected window's figures and redraws; the page calls it on every change it hears of.
export async function showStats() {
  if (!window.uPlot) {
    summary.textContent = 'The chart library did not load (lib/uPlot.iife.min.js).';
    return;
  }
  const answer = await request('GET', `/api/stats?window=${encodeURIComponent(windowSelect.value)}`);
  if (answer.status !== 200) {
    summary.textContent = `Figures unavailable: ${describeProblem(answer)}`;
    return;
  }
  last = answer.body;
  summary.textContent = describe(last);
  draw(last);
}

windowSelect.addEventListener('change', () => showStats().catch(() => {}));
let resizing;
window.addEventListener('resize', () => {
  clearTimeout(resizing);
  resizing = setTimeout(() => last && draw(last), 150);
});
