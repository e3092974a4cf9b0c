// Asks for a live fragment's next refresh (app/ui/live_pacer.py). Every run of the fragment ends
// with this element, so when it arrives the run's charts have arrived too: the next refresh is
// asked for `after` ms later, once. A refresh is therefore never asked for while one is still on
// its way, and a busy server is asked less often instead of having its runs cut short.
// Counts per pacer on window.unrolledPacers (runs seen, refreshes asked, asked again).
const AGAIN_MS = 10000;  // no answer this long: the request or its answer was lost, ask again
// The data arrive as JSON bytes (app/ui/static_code.py packed).
const unpacked = (bytes) => JSON.parse(new TextDecoder().decode(bytes));
export default function (component) {
  const { parentElement, setTriggerValue } = component;
  const data = unpacked(component.data);
  const host = parentElement.querySelector(".unrolled-pacer") || parentElement;
  const counts = (window.unrolledPacers = window.unrolledPacers || {});
  const count = (counts[data.key] = counts[data.key] || { runs: 0, asked: 0, again: 0 });
  if (host.unrolledRun === data.run) return;  // the same run handed over again
  host.unrolledRun = data.run;
  count.runs += 1;
  clearTimeout(host.unrolledTimer);
  if (!data.playing) return;
  const ask = (again) => {
    if (!host.isConnected) return;  // the page changed: this pacer is gone
    count.asked += 1;
    if (again) count.again += 1;
    setTriggerValue("next", data.run);
    host.unrolledTimer = setTimeout(() => ask(true), AGAIN_MS);
  };
  host.unrolledTimer = setTimeout(() => ask(false), data.after);
}
