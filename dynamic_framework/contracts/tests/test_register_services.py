"""Register services and selectors: adding a document (checked, audited, nothing partial saved), the register's
queries in a fixed number of queries, and the pipeline's window and options still available."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dynamic_framework.contracts import selectors, services
from dynamic_framework.contracts.models import ContractDocument
from dynamic_framework.contracts.tests.factories import ContractFactory
from dynamic_framework.core.models import AuditEvent
from dynamic_framework.qualification.tests.factories import pdf

from . import register_world as rw

pytestmark = pytest.mark.django_db


@pytest.fixture
def register_world(reference_data):
    return rw.build()


def test_add_document_records_an_audit_event(register_world):
    w = register_world
    document = services.add_document(
        actor=w.commissioner, contract=w.live, title=" Signed contract ", uploaded=pdf("signed.pdf"), public=False
    )
    assert document.title == "Signed contract" and document.content_type == "application/pdf" and document.size > 0
    event = AuditEvent.objects.get(action="contracts.document_added")
    assert event.after["public"] is False and event.after["name"] == "signed.pdf"


@pytest.mark.parametrize(
    ("title", "uploaded", "field"),
    [
        ("", "pdf", "title"),
        ("x" * 201, "pdf", "title"),
        ("Spec", None, "file"),
        ("Spec", SimpleUploadedFile("spec.pdf", b"#!/bin/sh\necho hi\n", "application/pdf"), "file"),
        ("Spec", SimpleUploadedFile("spec.exe", b"MZ", "application/octet-stream"), "file"),
    ],
)
def test_add_document_refuses_bad_input_with_a_message_for_the_field(register_world, title, uploaded, field):
    w = register_world
    uploaded = pdf("spec.pdf") if uploaded == "pdf" else uploaded
    with pytest.raises(ValidationError) as raised:
        services.add_document(actor=w.commissioner, contract=w.live, title=title, uploaded=uploaded, public=True)
    assert field in raised.value.message_dict
    assert not ContractDocument.objects.exists() and not AuditEvent.objects.filter(action="contracts.document_added")


def test_only_the_contracts_commissioners_add_documents(register_world):
    w = register_world
    for user in (w.other_commissioner, w.provider, w.sub_staff):
        with pytest.raises(PermissionDenied):
            services.add_document(actor=user, contract=w.live, title="Spec", uploaded=pdf("s.pdf"), public=True)
    assert not ContractDocument.objects.exists()


def test_the_register_query_count_is_fixed(register_world, django_assert_num_queries):
    with django_assert_num_queries(6):  # contracts, categories, supply chain, years, areas, options
        few = [(c.reference, c.years_value_pence, c.award_contract_count) for c in selectors.register_contracts()]
    for n in range(10):
        ContractFactory(reference=f"T-MORE-{n}")
    with django_assert_num_queries(6):
        many = list(selectors.register_contracts())
        for c in many:
            list(c.years.all()), list(c.areas.all()), list(c.extension_options.all()), list(c.supply_chain.all())
    assert len(many) == len(few) + 10
    assert {r: v for r, v, _n in few}["T-LIVE"] == 220_000_00
    assert {r: n for r, _v, n in few}["T-SHARED-cleveland"] == 2


def test_the_pipeline_window_and_the_options_still_available(register_world):
    w = register_world
    assert [c.reference for c in selectors.pipeline(months=6)] == []  # T-LIVE ends in 200 days
    twelve = list(selectors.pipeline(months=12))
    assert [c.reference for c in twelve] == ["T-LIVE"]
    assert [o.position for o in selectors.available_options(twelve[0])] == [1]  # option 2's last day has passed
    assert [o.position for o in selectors.available_options(twelve[0], on=w.today - timedelta(days=2))] == [1, 2]
    eighteen = [c.reference for c in selectors.pipeline(months=18, regions=["A"])]
    assert eighteen == ["T-LIVE", "T-SHARED-cleveland", "T-SHARED-northumbria"]
    assert list(selectors.pipeline(months=18, regions=["B"])) == []  # T-ENDED has ended
    assert [c.reference for c in selectors.pipeline(months=18, category="women")] == ["T-LIVE"]
    w.live.terminated_on, w.live.termination_reason = w.today, "The provider closed"
    w.live.save()
    assert list(selectors.pipeline(months=12)) == []
