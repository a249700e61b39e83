import re

from django import forms

from dynamic_framework.core.forms_rendering import error_list, field_params


class ExampleForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="We will only use it to contact you",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "data-x": "1"}),
    )
    kind = forms.ChoiceField(label="Kind", choices=[("a", "Apple"), ("b", "Banana")], widget=forms.RadioSelect)
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)


def test_params_keep_what_the_user_typed_and_show_errors():
    form = ExampleForm(data={"email": "not-an-email", "kind": "b"})
    assert not form.is_valid()
    email = field_params(form["email"])
    assert email["value"] == "not-an-email"
    assert email["type"] == "email"
    assert email["hint"] == {"text": "We will only use it to contact you"}
    assert "errorMessage" in email
    assert email["autocomplete"] == "email"
    assert email["attributes"] == {"data-x": "1", "maxlength": "320"}  # autocomplete is passed once, on its own
    kind = field_params(form["kind"])
    assert [i["checked"] for i in kind["items"]] == [False, True]
    assert kind["fieldset"]["legend"]["text"] == "Kind"
    assert field_params(form["notes"])["rows"] == 3


def test_error_list_links_each_error_to_its_field():
    form = ExampleForm(data={"email": "", "kind": ""})
    form.is_valid()
    items = error_list(form)
    assert {i["href"] for i in items} == {"#id_email", "#id_kind"}
    assert error_list(ExampleForm()) == []


def test_rendered_input_has_one_autocomplete_attribute(client, db):
    html = client.get("/sign-in/").content.decode()
    tag = re.search(r"<input[^>]*name=\"username\"[^>]*>", html).group(0)
    assert tag.count("autocomplete=") == 1
