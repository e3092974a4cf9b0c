"""What a recurrent network is, in a few sentences, and where to go next."""

import streamlit as st

from app.ui.i18n import t
from app.ui.shell import render_picked_preset, show_notices

st.title(t("home.title"))
render_picked_preset()
st.markdown(t("home.intro"))
show_notices()  # a shared link's refused values are said on the page it opens
st.subheader(t("home.equations"))
st.latex(r"h_t = \tanh\left(W_{xh}\, x_t + W_{hh}\, h_{t-1} + b_h\right)")
st.latex(r"y_t = W_{hy}\, h_t + b_y")
st.markdown(t("home.symbols"))
st.subheader(t("home.pages"))
for file, icon, name in (
    ("lesson.py", ":material/school:", "lesson"),
    ("train.py", ":material/play_circle:", "train"),
    ("time_steps.py", ":material/timeline:", "steps"),
    ("gradients.py", ":material/show_chart:", "gradients"),
    ("duel.py", ":material/compare_arrows:", "duel"),
    ("text.py", ":material/edit_note:", "text"),
    ("sentiment.py", ":material/reviews:", "sentiment"),
):
    st.page_link(f"../pages/{file}", label=t(f"nav.{name}"), icon=icon)
    st.caption(t(f"home.{name}_blurb"))
