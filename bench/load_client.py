"""A browser tab without the browser: one `Tab` speaks Streamlit's own websocket protocol to a live
server (protobuf ``BackMsg`` up, ``ForwardMsg`` down), so a load test can open dozens of sessions.

What it does as Streamlit 1.67's frontend does (read in its bundled JavaScript):
- connects to ``ws://HOST/_stcore/stream`` with the subprotocol ``streamlit``; its first message is a
  ``rerun_script`` with ``page_name`` = the URL path and no page hash, later ones carry the page's
  ``page_script_hash`` from the ``navigation`` message;
- a page's Play and Pause are one button (key ``<prefix>-play-pause``), which the tab names
  ``<prefix>-play`` or ``<prefix>-pause`` by its icon;
- a click is a rerun carrying ``WidgetState(id=<id from the button's delta>,
  trigger_value=True)``, of the fragment the button's delta names (a live section's, see
  app/ui/live_fragment.py ``live_section``) or of the whole app; the id looks like
  ``$$ID-<hash>-<user key>``;
- a live page's pacer (app/ui/live_pacer.py: the last element of every run of its live fragment, a
  components-v2 element) carries ``playing`` and ``after``; while playing, ``after`` ms after it
  arrived, and once the run it came in has finished (its ``script_finished`` arrived), the tab
  asks for the fragment's next run as live_pacer.js does: a rerun naming the fragment, with the
  element's trigger (``WidgetState(id=<its trigger id>,
  json_trigger_value=[{"event": "next", ...}])``), once per pacer message (again after 10 s
  without an answer);
- an ``auto_rerun`` message (sent on every run of ``st.fragment(run_every=...)``) starts a fixed-rate
  timer, ``setInterval``: every ``interval`` seconds it sends ``rerun_script(fragment_id=...,
  is_auto_rerun=True)``, whether or not the last fragment run has finished (the server coalesces
  them); a new full-app run (a ``new_session`` whose run names no fragment) and ``stop_auto_rerun``
  cancel timers.

What it leaves out: drawing; the forward-message cache (it lists no cached hashes, so the server
sends every message in full); widget values other than the pressed button (the server keeps the
previous ones).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from app.ui.controls import PLAY_PAUSE_ICONS, play_pause_key

FRAGMENT_DONE = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
APP_DONE = ForwardMsg.FINISHED_SUCCESSFULLY
COMPILE_ERROR = ForwardMsg.FINISHED_WITH_COMPILE_ERROR
PACER = "unrolled.live_pacer"  # app/ui/live_pacer.py
PACER_AGAIN = 10.0  # live_pacer.js AGAIN_MS
# The one Play/Pause button of a page's controls: the tab names it <prefix>-play or
# <prefix>-pause, by its icon.
PLAY_PAUSE = play_pause_key("")  # its key's ending
ACTIONS = {icon: action for action, icon in PLAY_PAUSE_ICONS.items()}


@dataclass
class FragmentRun:
    """What one run of the live fragment delivered. Streamlit drops a run's deltas that are still
    queued when the next run starts, and with the timer faster than a run that is usual."""

    started: float  # perf_counter seconds: its new_session arrived
    finished: bool = False  # its script_finished arrived as "fragment run successfully"


@dataclass
class Reading:
    """The step counter (the page's first metric) as one run showed it."""

    at: float  # perf_counter seconds, when the message arrived
    steps: int
    fragment: bool  # shown by a fragment run (the live timer) rather than a full-app run


class Tab:
    """One browser tab on one page. Times are ``time.perf_counter()`` seconds in this process."""

    def __init__(self, url: str, page: str, choices: dict[str, int] | None = None) -> None:
        self.url = url  # http://127.0.0.1:PORT
        self.page = page  # URL path of the page, e.g. "train"
        # radio user key -> the option to choose once the page has loaded (the text page's live model)
        self._choices = dict(choices or {})
        self._radios: dict[str, tuple[str, list[str]]] = {}  # user key -> widget id, option labels
        self._choosing: asyncio.Task[None] | None = None
        # user key -> (widget id, the fragment it is drawn in or ""), in the latest run drawing them
        self.buttons: dict[str, tuple[str, str]] = {}
        self.readings: list[Reading] = []
        self.fragment_runs: list[FragmentRun] = []
        self.errors: list[str] = []
        self.loaded_at: float | None = None  # the first full-app run finished
        self.auto_reruns_sent = 0  # requests for a fragment run: the pacer's, or a timer's
        self.bytes_received = 0
        self.timer_interval: float | None = None  # the wait the last pacer (or auto_rerun) asked
        self._ws: ClientConnection | None = None
        self._page_hash = ""
        self._button_runs = 0  # runs started that draw the buttons (full-app or their fragment's)
        self._first_metric_pending = False
        self._fragment_run: FragmentRun | None = None  # the fragment run being received
        self._timers: dict[str, tuple[float, asyncio.Task[None]]] = {}
        self._pacers: dict[str, asyncio.Task[None]] = {}  # pacer id -> its pending request
        self._reader: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()
        self._idle = asyncio.Event()  # no run of this session under way (its last one finished)
        self._closing = False

    async def open(self, timeout: float) -> None:
        ws_url = self.url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self._ws = await connect(
            ws_url,
            subprotocols=[Subprotocol("streamlit")],
            proxy=None,  # loopback only, whatever the environment says about proxies
            compression=None,  # the server does not enable websocket compression by default
            max_size=None,
            ping_interval=None,  # browsers do not ping; they answer the server's pings
            open_timeout=timeout,
        )
        self._reader = asyncio.create_task(self._read(), name="tab-reader")
        await self._send_rerun(page_name=self.page)

    async def wait_loaded(self, deadline: float) -> bool:
        return await self._wait(lambda: self.loaded_at is not None and bool(self.buttons), deadline)

    async def press(self, key: str, effect: Callable[[Tab], bool], deadline: float) -> float | None:
        """Click the button with user key ``key``; seconds until a run drawing the buttons, started
        after the click, makes ``effect`` true, or None if it did not by ``deadline``."""
        if key not in self.buttons:
            self.errors.append(f"no button {key!r} on the page")
            return None
        widget_id, fragment_id = self.buttons[key]
        runs_before = self._button_runs
        sent = time.perf_counter()
        await self._send_rerun(
            widgets=[WidgetState(id=widget_id, trigger_value=True)], fragment_id=fragment_id
        )
        answered = await self._wait(
            lambda: self._button_runs > runs_before and effect(self), deadline
        )
        return time.perf_counter() - sent if answered else None

    def refreshes(self) -> list[float]:
        """When the page visibly moved on: a run (of the live fragment, or of the whole page after a
        timer change) showed the step counter higher than the run before it."""
        pairs = zip(self.readings, self.readings[1:], strict=False)
        return [later.at for earlier, later in pairs if later.steps > earlier.steps]

    def shows(self, key: str) -> bool:
        return key in self.buttons

    def steps(self) -> int | None:
        return self.readings[-1].steps if self.readings else None

    async def close(self) -> None:
        self._closing = True
        for _, timer in self._timers.values():
            timer.cancel()
        for request in self._pacers.values():
            request.cancel()
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._ws.close(), 5)
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    # --- the protocol -------------------------------------------------------------------------

    async def _send_rerun(
        self,
        widgets: list[WidgetState] | None = None,
        fragment_id: str = "",
        page_name: str = "",
        auto: bool = False,
    ) -> None:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = ""
        state.page_script_hash = self._page_hash
        state.page_name = page_name
        state.fragment_id = fragment_id
        state.is_auto_rerun = auto
        state.widget_states.widgets.extend(widgets or [])
        state.context_info.CopyFrom(
            ContextInfo(timezone="UTC", timezone_offset=0, locale="en-US", url=self.url)
        )
        assert self._ws is not None
        await self._ws.send(msg.SerializeToString())

    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for data in self._ws:
                self.bytes_received += len(data)
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._handle(msg, time.perf_counter())
                self._changed.set()
        except ConnectionClosed as closed:
            if not self._closing:
                self.errors.append(f"websocket closed by the server: {closed}")
        except Exception as exc:  # a bench records what went wrong and carries on
            self.errors.append(f"reader: {exc!r}")
        finally:
            self._changed.set()

    def _handle(self, msg: ForwardMsg, now: float) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self._idle.clear()
            self._first_metric_pending = True
            self._fragment_run = None
            fragments = set(msg.metadata.run.fragment_ids)
            if fragments:
                self._fragment_run = FragmentRun(now)
                self.fragment_runs.append(self._fragment_run)
            else:  # a full-app run: the browser drops its timers
                self._cancel_timers(list(self._timers))
            if not fragments or fragments & {f for _, f in self.buttons.values()}:
                self._button_runs += 1
                self.buttons = {}  # drawn again by this run
        elif kind == "navigation":
            self._page_hash = msg.navigation.page_script_hash
        elif kind == "auto_rerun":
            self._start_timer(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            self._cancel_timers(list(msg.stop_auto_rerun.fragment_ids))
        elif kind == "delta":
            self._handle_delta(msg, now)
        elif kind == "script_finished":
            self._idle.set()
            status = msg.script_finished
            if status == FRAGMENT_DONE and self._fragment_run is not None:
                self._fragment_run.finished = True
            elif status == APP_DONE and self.loaded_at is None:
                if self._choices:
                    self._choose()
                else:
                    self.loaded_at = now
            elif status == COMPILE_ERROR:
                self.errors.append("script compile error")
        elif kind == "ref_hash":
            self.errors.append("unexpected ref_hash: this client caches nothing")

    def _handle_delta(self, msg: ForwardMsg, now: float) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "bidi_component" and element.bidi_component.component_name == PACER:
            self._pace(element.bidi_component.id, delta.fragment_id, element.bidi_component.bytes)
        elif kind == "button":
            widget_id = element.button.id
            key = widget_id.split("-", 2)[-1]
            if key.endswith(PLAY_PAUSE):  # one button: named by what it does now
                key = f"{key.removesuffix(PLAY_PAUSE)}-{ACTIONS[element.button.icon]}"
            self.buttons[key] = (widget_id, delta.fragment_id)
        elif kind == "radio":
            radio = element.radio
            self._radios[radio.id.split("-", 2)[-1]] = (radio.id, list(radio.options))
        elif kind == "exception":
            self.errors.append(f"exception in the page: {element.exception.message}")
        elif kind == "metric" and self._choices:
            return  # the page before its options are chosen: not the live thing's counter
        elif kind == "metric" and self._first_metric_pending and msg.metadata.delta_path[0] == 0:
            self._first_metric_pending = False
            try:
                steps = int(element.metric.body.replace(",", ""))
            except ValueError:
                self.errors.append(f"step counter reads {element.metric.body!r}")
                return
            self.readings.append(Reading(now, steps, fragment=bool(delta.fragment_id)))

    def _choose(self) -> None:
        """Choose the options asked for, as a click on a radio does (a full-app rerun)."""
        missing = [key for key in self._choices if key not in self._radios]
        if missing:
            self.errors.append(f"no radio {missing[0]!r} on the page")
        # A radio's value is the label of its option (streamlit's RadioSerde), not its index.
        widgets = [
            WidgetState(id=self._radios[key][0], string_value=self._radios[key][1][index])
            for key, index in self._choices.items()
            if key in self._radios
        ]
        self._choices = {}
        self._choosing = asyncio.create_task(self._send_rerun(widgets=widgets), name="tab-choice")

    def _start_timer(self, fragment_id: str, interval: float) -> None:
        self.timer_interval = interval
        current = self._timers.get(fragment_id)
        if current is not None and current[0] == interval:
            return  # the browser keeps a running timer with the same interval
        self._cancel_timers([fragment_id])
        task = asyncio.create_task(self._tick(fragment_id, interval), name="tab-timer")
        self._timers[fragment_id] = (interval, task)

    def _cancel_timers(self, fragment_ids: list[str]) -> None:
        for fragment_id in fragment_ids:
            entry = self._timers.pop(fragment_id, None)
            if entry is not None:
                entry[1].cancel()

    async def _tick(self, fragment_id: str, interval: float) -> None:
        """setInterval: a fixed rate; a late tick is not made up for."""
        due = time.perf_counter() + interval
        while not self._closing:
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            try:
                await self._send_rerun(fragment_id=fragment_id, auto=True)
            except ConnectionClosed:
                return
            self.auto_reruns_sent += 1
            due = max(due + interval, time.perf_counter())

    def _pace(self, pacer_id: str, fragment_id: str, data: bytes) -> None:
        """A pacer arrived: drop its pending request; while playing, ask for the next run later."""
        pending = self._pacers.pop(pacer_id, None)
        if pending is not None:
            pending.cancel()
        shown = json.loads(data)
        self.timer_interval = shown["after"] / 1000
        if shown.get("playing"):
            request = self._ask(pacer_id, fragment_id, shown["run"], shown["after"] / 1000)
            self._pacers[pacer_id] = asyncio.create_task(request, name="tab-pacer")

    async def _ask(self, pacer_id: str, fragment_id: str, run: int, after: float) -> None:
        trigger = json.dumps([{"event": "next", "value": run}])
        state = WidgetState(id=_make_trigger_id(pacer_id, "events"), json_trigger_value=trigger)
        while not self._closing:
            await asyncio.sleep(after)
            await self._idle.wait()
            try:
                await self._send_rerun(widgets=[state], fragment_id=fragment_id)
            except ConnectionClosed:
                return
            self.auto_reruns_sent += 1
            after = PACER_AGAIN

    async def _wait(self, condition: Callable[[], bool], deadline: float) -> bool:
        while not condition():
            left = deadline - time.perf_counter()
            if left <= 0 or (self._reader is not None and self._reader.done()):
                return condition()
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)
        return True
