import pytest


@pytest.fixture
def world(reference_data):
    from dynamic_framework.calloffs.tests.factories import CallOffWorld

    return CallOffWorld.build()


@pytest.fixture
def call_off(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return world.published()
