from rapport.test import (
    personas,  # noqa: F401  (the shared persona fixture)
    smtp_server,  # noqa: F401  (a local SMTP server, for real conversations)
)
