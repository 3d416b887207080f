"""Settings for tests/test_serve.py: Rapport's own, with a page that takes its time
(tests/serve_urls.py), to stop the server while a request is in flight. The served child's
DJANGO_SETTINGS_MODULE."""

from rapport.settings import *  # noqa: F403

ROOT_URLCONF = "tests.serve_urls"
