"""dynamic_framework.core.permissions: the view decorator and the DRF permission class other apps use."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate

from dynamic_framework.core.permissions import HasRulesPermission, permission_required


@permission_required("accounts.view_team")
def team_view(request):
    return HttpResponse("ok")


@permission_required("accounts.invite_to_organisation", fn=lambda request, pk: pk)
def org_view(request, pk):
    return HttpResponse("ok")


def _request(user, path="/somewhere/?x=1"):
    request = RequestFactory().get(path)
    request.user = user
    return request


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in_and_back():
    response = team_view(_request(AnonymousUser()))
    assert response.status_code == 302
    assert response.url == "/sign-in/?next=/somewhere/%3Fx%3D1"


@pytest.mark.django_db
def test_signed_in_without_the_permission_is_403(provider_staff):
    with pytest.raises(PermissionDenied):
        team_view(_request(provider_staff))


@pytest.mark.django_db
def test_signed_in_with_the_permission_passes(provider_admin, provider, other_provider):
    assert team_view(_request(provider_admin)).status_code == 200
    assert org_view(_request(provider_admin), pk=provider.pk).status_code == 200
    with pytest.raises(PermissionDenied):
        org_view(_request(provider_admin), pk=other_provider.pk)


class ThingViewSet(viewsets.ViewSet):
    permission_classes = [HasRulesPermission]
    permission_required = {"list": "accounts.view_team"}

    def list(self, request):
        return Response({"ok": True})

    def create(self, request):
        return Response({"ok": True})


class FixedViewSet(viewsets.ViewSet):
    permission_classes = [HasRulesPermission.require("accounts.invite")]

    def list(self, request):
        return Response({"ok": True})


def _call(viewset, action, method, user=None):
    request = getattr(APIRequestFactory(), method)("/api/v1/things/")
    if user is not None:
        force_authenticate(request, user=user)
    return viewset.as_view({method: action})(request)


@pytest.mark.django_db
def test_drf_permission_class(provider_admin, provider_staff):
    assert _call(ThingViewSet, "list", "get").status_code == 401
    assert _call(ThingViewSet, "list", "get", provider_staff).status_code == 403
    assert _call(ThingViewSet, "list", "get", provider_admin).status_code == 200
    # No permission named for an action: denied by default.
    assert _call(ThingViewSet, "create", "post", provider_admin).status_code == 403
    assert _call(FixedViewSet, "list", "get", provider_admin).status_code == 200
    assert _call(FixedViewSet, "list", "get", provider_staff).status_code == 403


@pytest.mark.django_db
def test_drf_object_permission(provider_admin, provider, other_provider):
    permission = HasRulesPermission.require("accounts.invite", object_perm="accounts.invite_to_organisation")()
    request = APIRequestFactory().get("/")
    request.user = provider_admin
    view = type("V", (), {"action": "retrieve"})()
    assert permission.has_permission(request, view)
    assert permission.has_object_permission(request, view, provider)
    assert not permission.has_object_permission(request, view, other_provider)
