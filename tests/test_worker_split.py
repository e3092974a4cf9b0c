"""How the suite shares out over the two workers (tests/conftest.py): one browser group starts on
each worker at once, the proxy test goes next to whichever is done first, every file stays whole."""

from __future__ import annotations

from types import SimpleNamespace

from tests.conftest import BROWSER_GROUPS, FIRST_UNITS, ROOT, pytest_xdist_make_scheduler, work_unit

E2E = ROOT / "tests" / "e2e"
PROXY = "tests/e2e/test_proxy.py"


class Worker:
    """Stands in for xdist's WorkerController: records the test indices it is sent."""

    def __init__(self, name: str) -> None:
        self.gateway = SimpleNamespace(id=name)
        self.shutting_down = False
        self.sent: list[int] = []

    def send_runtest_some(self, indices: list[int]) -> None:
        self.sent += indices

    def shutdown(self) -> None:
        self.shutting_down = True


def scheduler():
    config = SimpleNamespace(
        getvalue={"dist": "loadfile", "tx": ["2*popen"]}.get,
        option=SimpleNamespace(loadscopereorder=False),  # pyproject's --no-loadscope-reorder
    )
    return pytest_xdist_make_scheduler(config, None)


def test_every_browser_file_of_the_app_server_is_placed_on_purpose() -> None:
    grouped = [path for paths in BROWSER_GROUPS.values() for path in paths]
    assert len(grouped) == len(set(grouped))
    assert all((ROOT / path).is_file() for path in (*grouped, PROXY)), grouped
    asking = {
        f"tests/e2e/{path.name}"
        for path in E2E.glob("test_*.py")
        if "app_url" in path.read_text(encoding="utf-8")
    }
    assert asking == {*grouped, PROXY}  # a new one joins the group that keeps the two even


def test_a_work_unit_is_a_group_or_else_a_whole_file() -> None:
    group, path = next(iter(BROWSER_GROUPS.items()))
    assert work_unit(f"{path[0]}::test_x[a::b]") == group
    assert work_unit(f"{PROXY}::test_y") == PROXY
    assert work_unit("tests/engine/test_live.py::test_z[1]") == "tests/engine/test_live.py"


def test_the_groups_start_on_both_workers_and_the_proxy_goes_to_the_first_one_done() -> None:
    (first_group, first_files), (second_group, second_files) = BROWSER_GROUPS.items()
    # Collection order, as pytest collects: the groups' files interleaved with other files.
    collection = [
        "tests/charts/test_a.py::test_1",
        "tests/charts/test_a.py::test_2",
        *(f"{path}::test_{k}" for path in sorted(first_files + second_files) for k in range(3)),
        f"{PROXY}::test_1",
        f"{PROXY}::test_2",
        "tests/pages/test_b.py::test_1",
    ]
    schedule = scheduler()
    workers = [Worker("gw0"), Worker("gw1")]
    for worker in workers:
        schedule.add_node(worker)
        schedule.add_node_collection(worker, collection)
    schedule.schedule()

    def units(worker: Worker) -> list[str]:
        return list(dict.fromkeys(work_unit(collection[i]) for i in worker.sent))

    assert [units(worker) for worker in workers] == [[first_group], [second_group]]
    # The second group's worker finishes first (all but two of its tests): it takes the proxy.
    second = workers[1]
    for index in second.sent[:-2]:
        schedule.mark_test_complete(second, index)
    assert units(second) == [second_group, PROXY]
    assert units(workers[0]) == [first_group]
    # A group's tests run in collection order, file after file.
    assert [collection[i] for i in workers[0].sent] == sorted(
        (n for n in collection if work_unit(n) == first_group), key=collection.index
    )
    assert FIRST_UNITS[:2] == (first_group, second_group)
