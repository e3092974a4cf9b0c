// The live chart's code (app/ui/live_chart.py). It runs in the app's page (no iframe), served from
// app/static/ like plotly.js: a chart's element then carries only a short loader, not this code, at
// every refresh. Counts per chart on window.unrolledCharts (mounts, messages handed to it, redraws,
// requests for the whole figure), so a browser test can tell an update in place from a re-created
// chart.
let loading = null;
function plotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "./app/static/plotly.min.js";
      script.onload = () => resolve(window.Plotly);
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  return loading;
}
const CONFIG = { responsive: true, displaylogo: false };
// On a projector a chart takes the rest of the screen below its top (measured at every update, so
// charts in one row agree once the page above them has settled): the room sees the whole chart
// without scrolling, whatever the resolution. A chart that starts too low for that keeps its own
// height. The legend under the plot keeps its distance in pixels, not in shares of the plot.
const FIT_MIN = 250, FIT_MAX = 900, FIT_MARGIN = 12, FIT_STEP = 16;
function fittedHeight(host, own) {
  const room = window.innerHeight - host.getBoundingClientRect().top - FIT_MARGIN;
  const height = room >= FIT_MIN ? Math.min(room, FIT_MAX) : own;
  const last = Number(host.dataset.height || 0);
  return Math.abs(height - last) < FIT_STEP ? last || height : height;  // no jitter on small shifts
}
function fit(host, layout) {
  const own = layout.height;
  const height = fittedHeight(host, own);
  host.dataset.height = String(height);
  host.style.height = height + "px";
  const margin = layout.margin || {};
  const plot = (h) => h - (margin.t || 0) - (margin.b || 0);
  if (layout.legend && layout.legend.y < 0 && plot(height) > 0) {
    layout.legend = Object.assign({}, layout.legend, { y: (layout.legend.y * plot(own)) / plot(height) });
  }
  layout.height = height;
}
// A refresh sends the whole figure ({figure, version}) or what changed since the versions the
// browser may hold ({bases, version, delta}: app/ui/chart_delta.py, whose apply() is this code's twin).
// The growing arrays (x, y, z of one dimension) are kept decoded, so a delta appends to them. An
// array's part keeps the first values ({keep, tail}) or, after a thinned curve's buckets doubled,
// picks old values by a bit mask for the version held ({pick: {version: mask}, tail}).
const ARRAYS = ["x", "y", "z"];
const TYPES = {
  f4: Float32Array, f8: Float64Array, i1: Int8Array, u1: Uint8Array, u1c: Uint8ClampedArray,
  i2: Int16Array, u2: Uint16Array, i4: Int32Array, u4: Uint32Array,
};
function decoded(value) {
  if (!value || typeof value.bdata !== "string" || value.shape !== undefined || !TYPES[value.dtype]) {
    return value;  // a list, or a 2-D array: plotly decodes it itself
  }
  const bytes = Uint8Array.from(atob(value.bdata), (c) => c.charCodeAt(0));
  return new TYPES[value.dtype](bytes.buffer);
}
function picked(old, mask, tail) {
  if (typeof mask !== "string" || !old || !old.constructor.BYTES_PER_ELEMENT) return null;
  const bits = Uint8Array.from(atob(mask), (c) => c.charCodeAt(0));
  if (bits.length !== Math.ceil(old.length / 8)) return null;  // a mask for another array
  let count = 0;
  for (let i = 0; i < old.length; i++) count += (bits[i >> 3] >> (7 - (i & 7))) & 1;
  const out = new old.constructor(count + tail.length);
  let at = 0;
  for (let i = 0; i < old.length; i++) if ((bits[i >> 3] >> (7 - (i & 7))) & 1) out[at++] = old[i];
  out.set(tail, at);
  return out;
}
// The array a part makes from the held one, or null when it cannot (then: the whole figure).
function joined(old, part, version) {
  const tail = decoded(part.tail);
  if (part.pick) return picked(old, part.pick[version], tail);
  if (part.keep === 0) return tail;
  const out = new old.constructor(part.keep + tail.length);
  out.set(old.subarray(0, part.keep));
  out.set(tail, part.keep);
  return out;
}
function whole(figure) {
  const data = figure.data.map((trace) => {
    const out = Object.assign({}, trace);
    for (const name of ARRAYS) if (name in out) out[name] = decoded(out[name]);
    return out;
  });
  return { data, layout: figure.layout };
}
function patched(held, change) {
  let complete = true;
  const data = held.data.map((old, i) => {
    const patch = change.traces[i];
    const trace = Object.assign({}, patch.props || old);
    for (const name of ARRAYS) if (!(name in patch.arrays)) delete trace[name];
    for (const [name, part] of Object.entries(patch.arrays)) {
      trace[name] = part === null ? old[name] : joined(old[name], part, held.version);
      if (trace[name] === null) complete = false;
    }
    return trace;
  });
  if (!complete) return null;
  // The layout's entries that changed are set, those it lost dropped; the rest are the held ones.
  const layout = Object.assign({}, held.layout, change.layout ? change.layout.set : {});
  if (change.layout) for (const key of change.layout.drop) delete layout[key];
  return { data, layout };
}
const RESYNC_WAIT_MS = 1000;  // one request for the whole figure at a time, again if it got lost
// The data arrive as JSON bytes (app/ui/static_code.py packed).
const unpacked = (bytes) => JSON.parse(new TextDecoder().decode(bytes));
export default function (component) {
  const { parentElement, setStateValue } = component;
  const data = unpacked(component.data);
  const host = parentElement.querySelector(".unrolled-live-chart");
  const counts = (window.unrolledCharts = window.unrolledCharts || {});
  const count = (counts[data.key] = counts[data.key] || { mounts: 0, calls: 0, updates: 0, resyncs: 0 });
  if (!host.dataset.mounted) {
    host.dataset.mounted = "1";
    count.mounts += 1;
  }
  count.calls += 1;
  const held = host.unrolledFigure;
  let figure = null;
  if (data.figure) {
    figure = whole(data.figure);
  } else if (held && data.bases.includes(held.version)) {
    figure = patched(held, data.delta);
  }
  if (!figure) {
    // A message was lost (an interrupted refresh) or the chart is new: ask for the whole figure
    // (reruns the fragment once) and keep showing the one drawn.
    const now = Date.now();
    if (!(now - (host.unrolledAsked || 0) < RESYNC_WAIT_MS)) {
      host.unrolledAsked = now;
      count.resyncs += 1;
      setStateValue("resync", now);
    }
    return;
  }
  host.unrolledFigure = { version: data.version, data: figure.data, layout: figure.layout };
  host.unrolledAsked = 0;
  host.unrolledFit = data.fit;
  draw(host, count);
  if (data.fit) refitWhenMoved(host, count);
}
function draw(host, count) {
  // Plotly writes into what it is given (ranges, uids): it gets a copy, the held figure stays as sent.
  const held = host.unrolledFigure;
  const drawn = structuredClone({ data: held.data, layout: held.layout });
  const layout = drawn.layout;
  if (host.unrolledFit) fit(host, layout);
  // The page's own look, as st.plotly_chart's theme gives it: its font, a transparent background.
  const page = getComputedStyle(document.body);
  const look = Object.assign({ paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)" }, layout);
  look.font = Object.assign({ family: page.fontFamily, color: page.color }, layout.font);
  plotly().then((Plotly) => {
    Plotly.react(host, drawn.data, look, CONFIG);
    count.updates += 1;
  });
}
// A chart fitted to the screen is fitted again when the page above it grows after it was drawn (a
// late element, a font): while paused, no refresh would come to move its bottom back on screen.
function refitWhenMoved(host, count) {
  if (host.unrolledWatch) return;
  const page = document.querySelector('[data-testid="stMainBlockContainer"]') || document.body;
  host.unrolledWatch = new ResizeObserver(() => {
    if (!host.isConnected) {
      host.unrolledWatch.disconnect();
      return;
    }
    const held = host.unrolledFigure;
    if (!host.unrolledFit || !held) return;
    if (fittedHeight(host, held.layout.height) !== Number(host.dataset.height)) draw(host, count);
  });
  host.unrolledWatch.observe(page);
}
