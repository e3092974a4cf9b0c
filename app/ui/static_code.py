"""The browser code of the app's own components, served by Streamlit's static serving from
``app/static/`` (copied there at start-up, git-ignored), with plotly.js from the installed plotly
package (never a CDN, never a copy in the repository).

Streamlit sends an element's JS with every rerun, so each component element carries only a
two-line loader that imports its code from ``app/static/``: about 110 bytes instead of the whole
code at every refresh. The code's hash in the URL makes a browser fetch new code after a change.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import plotly

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
STATIC = (
    Path(__file__).resolve().parent.parent / "static"
)  # beside app/main.py: Streamlit serves it


def publish(source: Path) -> None:
    """Copy ``source`` where Streamlit serves static files (when it changed)."""
    target = STATIC / source.name
    if not target.exists() or target.read_bytes() != source.read_bytes():
        STATIC.mkdir(exist_ok=True)
        # One temporary per process: test workers (and replicas) may publish at the same moment.
        temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        shutil.copyfile(source, temporary)
        temporary.replace(target)  # atomic: a browser never reads half a file


def module_loader(code: Path) -> str:
    """Publish ``code`` (a JS module beside its Python) and return the component's loader of it."""
    publish(code)
    version = hashlib.sha256(code.read_bytes()).hexdigest()[:8]
    # Two lines (Streamlit takes one-line JS for the path of a file), and terse: every element of
    # every refresh carries them.
    return (
        f'const u=new URL("app/static/{code.name}?v={version}",document.baseURI)\n'
        "export default c=>import(u).then(m=>m.default(c))"
    )


def packed(data: dict) -> bytes:
    """A component's data as compact JSON bytes (the browser code parses them back).

    Streamlit hands bytes to the browser as they are; a dict it first scans for dataframes and
    serialises twice (once more, sorted, for the element's identity), about a third of a live
    chart's cost per refresh, and with spaces after every separator."""
    return json.dumps(data, separators=(",", ":")).encode()
