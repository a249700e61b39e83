"""See views/__init__.py. (Not built yet: every page here answers 404 until it is.)"""

from django.http import Http404
from django.urls import path


def manage(request, **kwargs):
    raise Http404


def open_framework(request, **kwargs):
    raise Http404


def close_framework(request, **kwargs):
    raise Http404


def exercise_extension(request, **kwargs):
    raise Http404


def questions(request, **kwargs):
    raise Http404


def question_set(request, **kwargs):
    raise Http404


def edit_section(request, **kwargs):
    raise Http404


def add_question(request, **kwargs):
    raise Http404


def edit_question(request, **kwargs):
    raise Http404


def remove_question(request, **kwargs):
    raise Http404


def publish(request, **kwargs):
    raise Http404


def discard(request, **kwargs):
    raise Http404


urlpatterns = [
    path("framework/manage/", manage, name="manage"),
    path("framework/manage/open/", open_framework, name="manage-open"),
    path("framework/manage/close/", close_framework, name="manage-close"),
    path("framework/manage/extensions/<int:pk>/exercise/", exercise_extension, name="manage-extend"),
    path("framework/manage/questions/", questions, name="questions"),
    path("framework/manage/questions/<int:version>/", question_set, name="question-set"),
    path("framework/manage/questions/<int:version>/sections/<str:section_key>/", edit_section, name="edit-section"),
    path("framework/manage/questions/<int:version>/sections/<str:section_key>/add/", add_question, name="add-question"),
    path("framework/manage/questions/<int:version>/questions/<str:question_key>/", edit_question, name="edit-question"),
    path(
        "framework/manage/questions/<int:version>/questions/<str:question_key>/remove/",
        remove_question,
        name="remove-question",
    ),
    path("framework/manage/questions/<int:version>/publish/", publish, name="publish"),
    path("framework/manage/questions/<int:version>/discard/", discard, name="discard"),
]
