from rapport.test import personas, smtp_server  # noqa: F401  (shared fixtures)
