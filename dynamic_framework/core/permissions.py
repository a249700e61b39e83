"""Permission checks for views and API endpoints, through the `rules` permissions each app defines.

Pages:

    @permission_required("accounts.view_team")
    def team(request): ...

    @permission_required("organisations.edit_organisation", fn=lambda request, slug: get_object_or_404(...))
    def edit(request, slug): ...

Someone not signed in is sent to the sign-in page (and back afterwards); someone signed in without the
permission gets the 403 page. `fn` receives the view's arguments and returns the object to check; it may
raise Http404.

API:

    class ThingViewSet(viewsets.ModelViewSet):
        permission_classes = [HasRulesPermission]
        permission_required = "things.view_thing"          # or {"list": ..., "create": ..., "default": ...}
        object_permission_required = "things.change_thing"  # optional; checked by get_object()

or `permission_classes = [HasRulesPermission.require("things.view_thing")]`. Anonymous callers get 401,
signed-in callers without the permission 403, both as JSON.
"""

import functools

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission


def permission_required(perm: str, fn=None):
    """A view decorator: sign in first, then `request.user.has_perm(perm, fn(request, ...))` or 403."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            obj = fn(request, *args, **kwargs) if fn is not None else None
            if not user.has_perm(perm, obj):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _perm_for(spec, action):
    if spec is None or isinstance(spec, str):
        return spec
    return spec.get(action, spec.get("default"))


class HasRulesPermission(BasePermission):
    """Checks `view.permission_required` (and `view.object_permission_required` for one object) with rules.

    Either may be a permission name or a dict keyed by viewset action (with an optional "default").
    With no permission named for the action, access is denied.
    """

    message = "You do not have permission to perform this action."
    permission_required = None
    object_permission_required = None

    @classmethod
    def require(cls, perm, object_perm=None):
        """A permission class with the permission names fixed (no attributes needed on the view)."""
        return type(
            "HasRulesPermission_" + str(perm).replace(".", "_"),
            (cls,),
            {"permission_required": perm, "object_permission_required": object_perm},
        )

    def _spec(self, view, attribute):
        own = getattr(self, attribute)
        return own if own is not None else getattr(view, attribute, None)

    def has_permission(self, request, view):
        perm = _perm_for(self._spec(view, "permission_required"), getattr(view, "action", None))
        if perm is None:
            return False
        return bool(request.user and request.user.has_perm(perm))

    def has_object_permission(self, request, view, obj):
        spec = self._spec(view, "object_permission_required")
        if spec is None:
            spec = self._spec(view, "permission_required")
        perm = _perm_for(spec, getattr(view, "action", None))
        if perm is None:
            return False
        return bool(request.user and request.user.has_perm(perm, obj))


def signed_in(view):
    """A page for signed-in people only: anyone else is sent to sign in, with ?next= back to the page."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped
