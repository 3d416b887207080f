from rapport.test import personas  # noqa: F401  (the shared persona fixture)
