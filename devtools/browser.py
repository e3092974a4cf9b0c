"""Debian's Chromium, driven by Playwright (a browser is never downloaded), with the flags this
network-less machine needs: without the background-networking ones, Chromium's own connections fail."""

from __future__ import annotations

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
