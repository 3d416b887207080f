"""The JSON API (OpenAPI at /api/docs). Every route is scoped to one workspace by its URL."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import SessionAuth

from rapport.accounts.api import TokenAuth, validation_problem

api = NinjaAPI(
    title="Rapport API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
)
# Routers carry their full paths: ninja does not pass path parameters of a router prefix.
api.add_router("", "rapport.people.api.router")
api.add_router("", "rapport.feedback.api.router")
api.add_router("", "rapport.intake.api.router")
api.add_router("", "rapport.insights.api.router")
api.add_router("", "rapport.knowledge.api.router")
api.add_router("", "rapport.inbox.api.router")
api.add_router("", "rapport.outreach.api.router")
api.add_router("", "rapport.predictions.api.router")


@api.exception_handler(ValidationError)
def invalid_input(request, exc) -> JsonResponse:
    # ninja's own body is pydantic's list; ours names each field and why in plain words,
    # in the same shape as every other error (``Problem``).
    return JsonResponse(validation_problem(exc.errors), status=422)


@api.exception_handler(RequestDataTooBig)
def body_too_large(request, exc) -> JsonResponse:
    # Left to Django, a body over DATA_UPLOAD_MAX_MEMORY_SIZE is an HTML 400.
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    mb = 1024 * 1024
    shown = f"{limit // mb:,} MB" if limit % mb == 0 else f"{-(-limit // 1024):,} KB"
    reason = f"The body is larger than {shown}, the most one request may carry."
    return JsonResponse({"detail": reason}, status=413)
