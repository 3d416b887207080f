"""The deployment files hold together: compose.yaml sets only documented settings, and the
documented production ones; every file the Dockerfile copies and compose mounts exists; the
production settings in docs/deploy.md are the ones tests/test_deploy_check.py checks.
(The image itself is not built here: no container engine in the test environment.)"""

import re
from pathlib import Path

import yaml

from tests.test_deploy_check import PRODUCTION

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTED = set(re.findall(r"`(RAPPORT_[A-Z0-9_]+)`", (ROOT / "docs/settings.md").read_text()))


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_sets_only_documented_settings_and_every_production_one():
    services = compose()["services"]
    for name in ("web", "worker"):
        env = services[name]["environment"]
        ours = {key for key in env if key.startswith("RAPPORT_")}
        assert ours <= DOCUMENTED, f"{name}: undocumented {sorted(ours - DOCUMENTED)}"
        assert set(PRODUCTION) <= ours, f"{name}: lacks {sorted(set(PRODUCTION) - ours)}"
        assert env["RAPPORT_HTTPS"] == env["RAPPORT_BEHIND_PROXY"] == "true"
        assert env["RAPPORT_DATABASE_URL"].startswith("postgres://")


def test_compose_runs_the_web_alone_and_a_worker_beside_it():
    services = compose()["services"]
    assert services["web"]["command"][0] == "serve" and "--no-worker" in services["web"]["command"]
    assert services["worker"]["command"][:2] == ["worker", "--clock"]
    assert services["db"]["image"].startswith("postgres:")


def test_every_file_the_dockerfile_copies_and_compose_mounts_exists():
    copied = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            copied += line.split()[1:-1]
    assert copied and all((ROOT / source).exists() for source in copied), copied
    mounted = [
        volume.split(":")[0]
        for service in compose()["services"].values()
        for volume in service.get("volumes", [])
        if volume.startswith("./")
    ]
    assert mounted and all((ROOT / source).exists() for source in mounted), mounted


def test_the_production_settings_in_the_deploy_guide_are_the_checked_ones():
    guide = (ROOT / "docs/deploy.md").read_text()
    block = re.search(r"```sh\n# /etc/rapport/rapport.env\n(.*?)```", guide, re.S)
    assert block, "docs/deploy.md lacks the rapport.env example"
    settings = dict(
        line.split("=", 1) for line in block.group(1).splitlines() if "=" in line and line[0] != "#"
    )
    assert set(PRODUCTION) <= set(settings), sorted(set(PRODUCTION) - set(settings))
    assert set(settings) <= DOCUMENTED, sorted(set(settings) - DOCUMENTED)
    for key in ("RAPPORT_HTTPS", "RAPPORT_BEHIND_PROXY"):
        assert settings[key] == PRODUCTION[key]
