"""deploy/nginx.conf run for real on loopback, in front of app replicas: shared by the proxy test
and the load benchmark (bench/bench_load.py --replicas)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Sequence
from pathlib import Path

from devtools.app_server import ROOT, stop_app

NGINX = Path("/usr/sbin/nginx")
CONF = ROOT / "deploy" / "nginx.conf"
COOKIE = "unrolled_replica"  # names the replica nginx keeps a browser on
# What the deploy config listens on and proxies to; runs on loopback swap in their own free ports.
DEPLOY_LISTEN = "listen 8080;"
DEPLOY_REPLICAS = ("127.0.0.1:8501", "127.0.0.1:8502")


def render_conf(text: str, listen_port: int, replicas: Sequence[str]) -> str:
    """The deploy config listening on ``listen_port`` of loopback, in front of ``replicas``
    ("127.0.0.1:port" each) in its upstream and its cookie map; paths stay relative to nginx's
    -p prefix."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    for line in lines:
        named = [replica for replica in DEPLOY_REPLICAS if replica in line]
        if DEPLOY_LISTEN in line:
            out.append(line.replace(DEPLOY_LISTEN, f"listen 127.0.0.1:{listen_port};"))
        elif named == [DEPLOY_REPLICAS[0]]:  # one line per replica in its place
            out += [line.replace(DEPLOY_REPLICAS[0], replica) for replica in replicas]
        elif not named:
            out.append(line)
        # (the lines naming the second deploy replica are left out: the first one's stand for all)
    rendered = "".join(out)
    for replica in DEPLOY_REPLICAS:
        assert text.count(replica) >= 2, (
            f"deploy/nginx.conf should name {replica} (upstream and map)"
        )
    assert "listen 127.0.0.1:" in rendered, f"deploy/nginx.conf should hold {DEPLOY_LISTEN!r}"
    return rendered


def start_nginx(prefix: Path, listen_port: int, replicas: Sequence[str]) -> subprocess.Popen:
    """nginx in the foreground, as the current user, every file it writes inside ``prefix``
    (start-up errors in prefix/error.log)."""
    if os.geteuid() == 0:
        prefix.chmod(0o755)  # as root, nginx's workers run as nobody and keep temp files here
    conf = prefix / "nginx.conf"
    conf.write_text(render_conf(CONF.read_text(), listen_port, replicas))
    with (prefix / "error.log").open("a") as out:
        return subprocess.Popen(
            [
                NGINX,
                "-p",
                f"{prefix}/",
                "-c",
                conf,
                "-e",
                prefix / "error.log",
                "-g",
                "daemon off;",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_all(processes: Sequence[subprocess.Popen]) -> None:
    """Signal every process group first, then wait for each: they shut down in parallel."""
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        stop_app(process)
