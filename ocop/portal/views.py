from django.shortcuts import redirect


def home(request):
    """Until the public portal ships: signed-in users go to their workspace, others to sign in."""
    return redirect("core:home" if request.user.is_authenticated else "accounts:login")
