"""The lesson as a path: one section at a time, in the lesson's order, each with a text, one thing to
try and a button to the instrument set up for it."""

import streamlit as st

from app.ui import lesson_path
from app.ui.i18n import t
from app.ui.lesson_view import render_navigation, render_section
from app.ui.shell import show_notices

st.title(t("lesson.title"))
st.caption(t("lesson.intro"))
section = lesson_path.current()
render_navigation(section)
show_notices()
render_section(section)
