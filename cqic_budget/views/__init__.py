"""The pages' view models, built without Streamlit: each `build_*` takes a session (or facts) and returns
a frozen dataclass of text and figures ready to draw, in the reader's language.

cqic_budget/ui/ wraps these builders in st.cache_data and draws them with widgets; pages/ only call ui/.
Nothing here imports Streamlit or writes SQL (cqic_budget/queries.py and the domain modules do), so every
builder is tested with plain pytest.
"""
