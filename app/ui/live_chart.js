// The live chart's code (app/ui/live_chart.py). It runs in the app's page (no iframe), served from
// app/static/ like plotly.js: a chart's element then carries only a short loader, not this code, at
// every refresh. Counts mounts and updates per chart on window.unrolledCharts, so a browser test can
// tell an update in place from a re-created chart.
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
function fit(host, layout) {
  const own = layout.height;
  const room = window.innerHeight - host.getBoundingClientRect().top - FIT_MARGIN;
  let height = room >= FIT_MIN ? Math.min(room, FIT_MAX) : own;
  const last = Number(host.dataset.height || 0);
  if (Math.abs(height - last) < FIT_STEP) height = last || height;  // no jitter on small shifts
  host.dataset.height = String(height);
  host.style.height = height + "px";
  const margin = layout.margin || {};
  const plot = (h) => h - (margin.t || 0) - (margin.b || 0);
  if (layout.legend && layout.legend.y < 0 && plot(height) > 0) {
    layout.legend = Object.assign({}, layout.legend, { y: (layout.legend.y * plot(own)) / plot(height) });
  }
  layout.height = height;
}
export default function (component) {
  const { data, parentElement } = component;
  const host = parentElement.querySelector(".unrolled-live-chart");
  const counts = (window.unrolledCharts = window.unrolledCharts || {});
  const count = (counts[data.key] = counts[data.key] || { mounts: 0, updates: 0 });
  if (!host.dataset.mounted) {
    host.dataset.mounted = "1";
    count.mounts += 1;
  }
  const figure = JSON.parse(data.figure);
  if (data.fit) fit(host, figure.layout);
  // The page's own look, as st.plotly_chart's theme gives it: its font, a transparent background.
  const page = getComputedStyle(document.body);
  const layout = Object.assign({ paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)" }, figure.layout);
  layout.font = Object.assign({ family: page.fontFamily, color: page.color }, layout.font);
  plotly().then((Plotly) => {
    Plotly.react(host, figure.data, layout, CONFIG);
    count.updates += 1;
  });
}
