"""Entry point: `streamlit run app/main.py`. Page config, navigation and the shared sidebar."""

from pathlib import Path

import streamlit as st
import torch

from app.ui.collector import freeze_start_up
from app.ui.i18n import t
from app.ui.shell import finish_page, render_sidebar, start_page

# Sessions are threads of one process and share the cores: one torch thread each.
torch.set_num_threads(1)

# A local favicon: with Material page icons alone the browser fetches the favicon from the web.
# A projector link (?present=1) opens with the sidebar folded away: the room sees the page.
st.set_page_config(
    page_title="Unrolled",
    page_icon=str(Path(__file__).parent / "assets" / "favicon.png"),
    layout="wide",
    initial_sidebar_state="collapsed" if st.query_params.get("present") == "1" else "auto",
)
start_page()  # reads a shared link once per session: language first, so titles are translated
PAGES = (
    # file, title key, icon, URL path (English, so translated titles never change links)
    ("home.py", "nav.home", ":material/home:", "home"),
    ("lesson.py", "nav.lesson", ":material/school:", "lesson"),
    ("train.py", "nav.train", ":material/play_circle:", "train"),
    ("time_steps.py", "nav.steps", ":material/timeline:", "steps"),
    ("gradients.py", "nav.gradients", ":material/show_chart:", "gradients"),
    ("duel.py", "nav.duel", ":material/compare_arrows:", "duel"),
    ("text.py", "nav.text", ":material/edit_note:", "text"),
    ("sentiment.py", "nav.sentiment", ":material/reviews:", "sentiment"),
)
page = st.navigation(
    [
        st.Page(
            f"../pages/{file}", title=t(title), icon=icon, url_path=path, default=path == "home"
        )
        for file, title, icon, path in PAGES
    ]
)
render_sidebar()
page.run()
finish_page()
freeze_start_up()  # the first run has imported what the process keeps
