"""Plan where Youth Union volunteer teams help residents with online public services.

The package is the logic behind the planners' app (``app.py``) and the command line
(``python -m coverage``). It never imports streamlit. :mod:`coverage.planning` is the
facade that the app and the CLI call.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
