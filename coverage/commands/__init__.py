"""Sub-commands of ``python -m coverage``, one module each.

Each module defines ``add_parser(subparsers)`` that registers its sub-command and sets
``func`` (taking the parsed arguments and returning an exit code).
"""
