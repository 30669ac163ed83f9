from django.http import HttpResponse


class HealthzMiddleware:
    """Answers /healthz before sessions, auth or the database are touched (SPEC §5.4)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            response = HttpResponse(b"ok", content_type="text/plain")
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
