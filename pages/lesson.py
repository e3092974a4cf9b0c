"""The lesson as a path: one section at a time, in the lesson's order, each with a text, one thing to
try and a button to the instrument set up for it."""

import streamlit as st

from app.ui import lesson_path, shell
from app.ui.i18n import t
from app.ui.lesson_view import render_navigation, render_section
from app.ui.shell import show_notices

st.title(t("lesson.title"))
shell.intro(t("lesson.intro"), caption=True)
section = lesson_path.current()
render_navigation(section)
show_notices()
render_section(section)
