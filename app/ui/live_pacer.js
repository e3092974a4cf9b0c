// Asks for a live fragment's next refresh (app/ui/live_pacer.py). Every run of the fragment ends
// with this element, so when it arrives the run's charts have arrived too: the next refresh is
// asked for `after` ms later, once. A refresh is therefore never asked for while one is still on
// its way, and a busy server is asked less often instead of having its runs cut short.
// Nor while the rest of a larger run is on its way: a live section's run (a press) goes on after
// its live fragment (the tabs that read the model). A refresh starting before that run's last
// messages left the server makes Streamlit report the run as cut short, and the browser then
// keeps the elements it replaced (the Play button beside Pause) until some later run.
// Counts per pacer on window.unrolledPacers (runs seen, refreshes asked, asked again, and whether
// the last run seen plays).
const AGAIN_MS = 10000;  // no answer this long: the request or its answer was lost, ask again
// The session's run state, as Streamlit's frontend shows it on its root element.
const APP = '[data-testid="stApp"]';
const STATE = "data-test-script-state";
// The data arrive as JSON bytes (app/ui/static_code.py packed).
const unpacked = (bytes) => JSON.parse(new TextDecoder().decode(bytes));
// Call `then` once this session runs nothing (at once if the state cannot be read).
const whenIdle = (then) => {
  const app = document.querySelector(APP);
  const busy = () => app && app.getAttribute(STATE) !== "notRunning";
  if (!busy()) return then();
  const watch = new MutationObserver(() => {
    if (!busy()) {
      watch.disconnect();
      then();
    }
  });
  watch.observe(app, { attributes: true, attributeFilter: [STATE] });
};
export default function (component) {
  const { parentElement, setTriggerValue } = component;
  const data = unpacked(component.data);
  const host = parentElement.querySelector(".unrolled-pacer") || parentElement;
  const counts = (window.unrolledPacers = window.unrolledPacers || {});
  const count = (counts[data.key] = counts[data.key] || { runs: 0, asked: 0, again: 0 });
  if (host.unrolledRun === data.run) return;  // the same run handed over again
  host.unrolledRun = data.run;
  count.runs += 1;
  count.playing = data.playing;
  clearTimeout(host.unrolledTimer);
  if (!data.playing) return;
  const ask = (again) => {
    // The page changed (this pacer is gone) or a newer run of it arrived while waiting.
    if (!host.isConnected || host.unrolledRun !== data.run) return;
    count.asked += 1;
    if (again) count.again += 1;
    setTriggerValue("next", data.run);
    host.unrolledTimer = setTimeout(() => whenIdle(() => ask(true)), AGAIN_MS);
  };
  host.unrolledTimer = setTimeout(() => whenIdle(() => ask(false)), data.after);
}
