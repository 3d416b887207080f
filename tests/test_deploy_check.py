"""With the documented production settings, Django's deployment check has nothing to say;
and `rapport serve` warns while the public development key is in use."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PRODUCTION = {
    "RAPPORT_SECRET_KEY": "k" * 10 + "Zq8vN3xLp0Wm2Rt7Yb5Hc9Jd4Fg6Ks1Ae8Uo3Ii5Ee2Ww7Qq",
    "RAPPORT_ALLOWED_HOSTS": "rapport.example.com",
    "RAPPORT_CSRF_TRUSTED_ORIGINS": "https://rapport.example.com",
    "RAPPORT_HTTPS": "true",
    "RAPPORT_BEHIND_PROXY": "true",
}


def deploy_check(tmp_path, **env) -> subprocess.CompletedProcess:
    # A clean environment: none of ours, and not the async switch the browser tests set.
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("RAPPORT_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    clean |= {"RAPPORT_DATA_DIR": str(tmp_path), "RAPPORT_DATABASE_URL": "", **env}
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_documented_production_settings_pass_the_deployment_check(tmp_path):
    done = deploy_check(tmp_path, **PRODUCTION)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_without_https_the_check_names_what_is_missing(tmp_path):
    done = deploy_check(tmp_path, **{**PRODUCTION, "RAPPORT_HTTPS": "false"})
    assert done.returncode != 0
    said = done.stdout + done.stderr
    assert "security.W004" in said and "security.W008" in said


def test_serve_warns_while_the_public_development_key_is_in_use(settings):
    from rapport.lib.serving import secret_key_warning

    settings.SECRET_KEY = settings.DEVELOPMENT_SECRET_KEY
    assert "RAPPORT_SECRET_KEY is not set" in secret_key_warning()
    settings.SECRET_KEY = PRODUCTION["RAPPORT_SECRET_KEY"]
    assert secret_key_warning() == ""
