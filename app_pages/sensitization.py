"""Placeholder page."""

from view import not_built_yet
import streamlit as st

st.title("Sensitization")
not_built_yet("This page")
