"""Entry point: `streamlit run app/main.py`. Page config, navigation and the shared sidebar."""

import streamlit as st
import torch

from app.ui.i18n import t
from app.ui.shell import finish_page, render_sidebar, start_page

# Sessions are threads of one process and share the cores: one torch thread each.
torch.set_num_threads(1)

st.set_page_config(
    page_title="Unrolled", layout="wide"
)  # no page_icon: a Material icon favicon is fetched from the web
start_page()  # reads a shared link once per session: language first, so titles are translated
pages = [
    st.Page(
        "../pages/home.py",
        title=t("nav.home"),
        icon=":material/home:",
        url_path="home",
        default=True,
    ),
    st.Page(
        "../pages/train.py", title=t("nav.train"), icon=":material/play_circle:", url_path="train"
    ),
    st.Page(
        "../pages/time_steps.py", title=t("nav.steps"), icon=":material/timeline:", url_path="steps"
    ),
    st.Page(
        "../pages/duel.py", title=t("nav.duel"), icon=":material/compare_arrows:", url_path="duel"
    ),
    st.Page(
        "../pages/gradients.py",
        title=t("nav.gradients"),
        icon=":material/show_chart:",
        url_path="gradients",
    ),
]
page = st.navigation(pages)
render_sidebar()
page.run()
finish_page()
