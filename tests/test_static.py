import re
from pathlib import Path

BASE = Path(__file__).resolve().parents[1] / "rapport" / "templates" / "base.html"


def test_every_asset_the_base_page_loads_is_served_locally(client, db):
    assets = re.findall(r"\{% static '([^']+)' %\}", BASE.read_text())
    assert assets
    for asset in assets:
        response = client.get(f"/static/{asset}")
        assert response.status_code == 200, asset
