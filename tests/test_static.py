import re
from pathlib import Path

BASE = Path(__file__).resolve().parents[1] / "rapport" / "templates" / "base.html"


def test_every_asset_the_base_page_loads_is_served_locally(client, db):
    assets = re.findall(r"\{% static '([^']+)' %\}", BASE.read_text())
    assert assets
    for asset in assets:
        response = client.get(f"/static/{asset}")
        assert response.status_code == 200, asset


def test_the_api_docs_load_swagger_ui_from_the_app_not_a_cdn(client, personas):
    from rapport.test import login

    page = login(client, personas.alice).get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in s for s in sources)
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))], sources
    for asset in [s for s in sources if s.startswith("/static/")]:
        assert client.get(asset).status_code == 200, asset
