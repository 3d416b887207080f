"""django-csp's middleware, with the usual headers built once instead of on every response.

django-csp 4 builds the Content-Security-Policy header (and its report-only twin) from the
settings on every response, which costs more than the rest of the security middleware
together on a public answer. Almost every response uses the policy exactly as configured:
no nonce, and no ``@csp_update`` / ``@csp_replace`` / ``@csp_exempt`` on its view. For those
the header is built once, by django-csp's own ``build_policy``, and kept for as long as the
setting is the same object (``override_settings`` gives a new one). Every other response
goes through django-csp unchanged.
"""

from csp import middleware as csp_middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings

# What a view's decorators put on its response: any of them means the policy varies.
_VARIES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)
_DEBUG_CODES = (404, 500)


class CSPMiddleware(csp_middleware.CSPMiddleware):
    _built: tuple = (None, None, "", "")

    def process_response(self, request, response):
        if (
            getattr(request, "_csp_nonce", None) is not None
            or (settings.DEBUG and response.status_code in _DEBUG_CODES)
            or any(hasattr(response, name) for name in _VARIES)
        ):
            return super().process_response(request, response)
        for header, value, setting in zip(
            (HEADER, HEADER_REPORT_ONLY), self._headers(), _SETTINGS, strict=True
        ):
            if value and header not in response:
                policy = getattr(settings, setting, None) or {}
                prefixes = tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ())
                if not request.path_info.startswith(prefixes):
                    response[header] = value
        # As django-csp does: a nonce asked for after the header was written is an error.
        request.csp_nonce = csp_middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def _headers(self) -> tuple[str, str]:
        policy = getattr(settings, _SETTINGS[0], None)
        policy_ro = getattr(settings, _SETTINGS[1], None)
        kept_policy, kept_policy_ro, header, header_ro = self._built
        if kept_policy is not policy or kept_policy_ro is not policy_ro:
            header, header_ro = build_policy(), build_policy(report_only=True)
            # One assignment: a thread reading it sees the old pair or the new one, whole.
            self._built = (policy, policy_ro, header, header_ro)
        return header, header_ro


_SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
