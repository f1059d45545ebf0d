"""Streamlit pages of the planner's app (one module per page) and their shared helpers."""
