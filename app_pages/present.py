"""Placeholder page."""

from view import not_built_yet
import streamlit as st

st.title("Present")
not_built_yet("This page")
