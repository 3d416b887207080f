"""A living demo business, Maison Levain, generated deterministically from a seed and a date.

``rapport demo`` builds it and serves it; ``rapport.demo.generate`` is the library behind it.
Nothing here imports Django models at import time, so the CLI can register the command
before Django is set up.
"""

DEMO_SLUG = "demo"
# Published on purpose: printed by `rapport demo` and in docs/demo.md.
DEMO_PASSWORD = "rapport-demo"  # noqa: S105
DEFAULT_SEED = 1789
