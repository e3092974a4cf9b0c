"""Entry point: `streamlit run app/main.py`."""

import streamlit as st

st.set_page_config(page_title="Unrolled", layout="wide")
st.title("Unrolled")
