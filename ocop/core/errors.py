from django.core.exceptions import PermissionDenied


class ScopeError(PermissionDenied):
    """Raised by services when a user acts outside their scope; views turn it into 404."""
