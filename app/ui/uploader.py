"""st.file_uploader with its dropzone's limit line in the session's language.

Streamlit writes "5MB per file • CSV, TSV, TXT" in English and offers no way to set it; CSS can
only replace how it is drawn. The line is this uploader's own (its limit and its file types), so
each uploader carries its own rule, scoped by its key; the words every uploader shares (its
button, the hint while a file is dragged over it) are in ``shell.OWN_WORDS_CSS``.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from app.ui.i18n import DEFAULT_LANGUAGE, current_language, t


def file_uploader(
    label: str,
    *,
    key: str,
    type: Sequence[str],  # noqa: A002 (st.file_uploader's own name)
    max_upload_size: int | None = None,
    **options: object,
):
    """``st.file_uploader``, whose limit line says ``max_upload_size`` MB (by default the
    server's ``server.maxUploadSize``, the limit Streamlit then enforces) in the session's language."""
    if current_language() != DEFAULT_LANGUAGE:
        limit_mb = max_upload_size or st.get_option("server.maxUploadSize")
        st.html(limit_css(key, t("uploader.limit", limit_mb=limit_mb), type))
    return st.file_uploader(
        label, type=list(type), key=key, max_upload_size=max_upload_size, **options
    )


def limit_css(key: str, limit: str, types: Sequence[str]) -> str:
    """CSS that draws the dropzone of the uploader ``key`` with ``limit`` and its file types
    (written as Streamlit writes them: CSV, TSV, TXT)."""
    kinds = ", ".join(dict.fromkeys(kind.removeprefix(".").upper() for kind in types))
    text = f"{limit} • {kinds}" if kinds else limit
    line = f'.st-key-{key} [data-testid="stFileUploaderDropzoneInstructions"] span'
    return (
        f"<style>{line} {{ font-size: 0 !important; }}"
        f' {line}::after {{ content: "{_css_string(text)}"; font-size: 0.875rem; }}</style>'
    )


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
