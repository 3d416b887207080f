"""The JSON API (OpenAPI at /api/docs). Every route is scoped to one workspace by its URL."""

from ninja import NinjaAPI
from ninja.security import SessionAuth

from rapport.accounts.api import TokenAuth

api = NinjaAPI(
    title="Rapport API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
)
# Routers carry their full paths: ninja does not pass path parameters of a router prefix.
api.add_router("", "rapport.people.api.router")
api.add_router("", "rapport.intake.api.router")
api.add_router("", "rapport.knowledge.api.router")
api.add_router("", "rapport.inbox.api.router")
api.add_router("", "rapport.outreach.api.router")
