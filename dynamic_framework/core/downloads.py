"""What every CSV download answers when its filters are wrong."""

from django.http import HttpResponse
from django.utils.translation import gettext as _


def bad_filters(form) -> HttpResponse:
    """A plain-text 400 naming each wrong filter and what is wrong with it."""
    lines = [f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()]
    return HttpResponse(
        _("Not downloaded: a filter is wrong.") + "\n" + "\n".join(lines),
        status=400,
        content_type="text/plain; charset=utf-8",
    )
