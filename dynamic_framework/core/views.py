"""Public pages that belong to the whole service: start page, cookies, accessibility, privacy, errors."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

from dynamic_framework.categories.selectors import framework_category_count
from dynamic_framework.geography.selectors import pcc_area_count, region_count
from dynamic_framework.organisations.selectors import provider_count


def start(request):
    return render(
        request,
        "core/start.html",
        {
            "region_count": region_count(),
            "pcc_area_count": pcc_area_count(),
            "category_count": framework_category_count(),
            "provider_count": provider_count(),
        },
    )


def cookies(request):
    return render(request, "core/cookies.html")


def accessibility(request):
    return render(request, "core/accessibility.html")


def privacy(request):
    return render(request, "core/privacy.html")


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "errors/404.html", status=404)


def permission_denied(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "You do not have permission to perform this action."}, status=403)
    return render(request, "errors/403.html", status=403)


@requires_csrf_token
def server_error(request):
    if _wants_json(request):
        return JsonResponse({"detail": "Something went wrong on our side. Try again later."}, status=500)
    return render(request, "errors/500.html", status=500)


def bad_request(request, exception=None):
    if _wants_json(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return render(request, "errors/400.html", status=400)


def csrf_failure(request, reason=""):
    return render(request, "errors/csrf.html", status=403)


# Notifications ----------------------------------------------------------------------------------------------------

NOTIFICATIONS_PAGE_SIZE = 20


def notifications(request):
    """Everything the service has told you (new opportunities, questions about your application, decisions...),
    newest first; opening the page does not mark them read, the button does."""
    from django.contrib.auth.views import redirect_to_login
    from django.core.paginator import Paginator
    from django.utils.translation import gettext as _

    from .models import Notification
    from .pagination import page_links

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    mine = Notification.objects.filter(user=request.user).order_by("-created_at", "-id")
    paginator = Paginator(mine, NOTIFICATIONS_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "core/notifications.html",
        {
            "page": page,
            "unread": mine.filter(read_at__isnull=True).count(),
            "pagination": page_links(request, page, label=_("Pages of notifications")),
        },
    )


def mark_notifications_read(request):
    from django.contrib import messages
    from django.contrib.auth.views import redirect_to_login
    from django.http import HttpResponseNotAllowed
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from .notifications import mark_read

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.is_authenticated:
        return redirect_to_login("/notifications/")
    count = mark_read(user=request.user)
    if count:
        messages.success(request, _("Notifications marked as read"))
    return redirect("core:notifications")
