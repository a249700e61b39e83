"""Turn Django bound fields into the parameters the GOV.UK Frontend macros expect.

Templates use the macros in core/form.html: `{{ form_field(form.name) }}` renders a GOV.UK input,
textarea, select, radios or checkboxes with its label, hint, error message and the value the user typed.
"""

from django import forms


def _kind(widget) -> str:
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    return "input"


def _as_list(value):
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def field_params(bound_field, overrides: dict | None = None) -> dict:
    field = bound_field.field
    widget = field.widget
    kind = _kind(widget)
    label_text = str(bound_field.label)
    params: dict = {
        "_kind": kind,
        "id": bound_field.id_for_label or bound_field.auto_id,
        "name": bound_field.html_name,
    }
    hint = str(field.help_text) if field.help_text else None
    if hint:
        params["hint"] = {"text": hint}
    if bound_field.errors:
        params["errorMessage"] = {"text": " ".join(str(e) for e in bound_field.errors)}
    attributes = {
        k: v
        for k, v in widget.attrs.items()
        if k not in {"class", "id", "autocomplete", "classes", "rows", "spellcheck"} and v not in (None, False)
    }
    value = bound_field.value()
    if kind in {"radios", "checkboxes"}:
        selected = _as_list(value)
        params["fieldset"] = {"legend": {"text": label_text, "classes": "govuk-fieldset__legend--s"}}
        params["idPrefix"] = params.pop("id")
        params["items"] = [
            {"value": str(v), "text": str(t), "checked": str(v) in selected} for v, t in field.choices if str(v) != ""
        ]
    elif kind == "select":
        selected = _as_list(value)
        params["label"] = {"text": label_text}
        params["items"] = [{"value": str(v), "text": str(t), "selected": str(v) in selected} for v, t in field.choices]
    elif kind == "checkbox":
        params["idPrefix"] = params.pop("id")
        params["items"] = [{"value": "on", "text": label_text, "checked": bool(value)}]
    else:
        params["label"] = {"text": label_text}
        if kind not in {"password", "file"}:
            params["value"] = "" if value is None else str(value)
        if kind == "password":
            params["type"] = "password"
        if isinstance(widget, forms.EmailInput):
            params["type"] = "email"
            params.setdefault("spellcheck", False)
        if isinstance(widget, forms.NumberInput):
            params["inputmode"] = "numeric"
        if kind == "file":
            params["_kind"] = "file"
    if attributes:
        params["attributes"] = attributes
    for key in ("autocomplete", "classes", "rows"):
        if key in widget.attrs:
            params[key] = widget.attrs[key]
    if overrides:
        for key, val in overrides.items():
            if isinstance(val, dict) and isinstance(params.get(key), dict):
                params[key] = {**params[key], **val}
            else:
                params[key] = val
    return params


def error_list(*forms_) -> list[dict]:
    """Items for the GOV.UK error summary, each linking to its field."""
    items = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for error in form.non_field_errors():
            items.append({"text": str(error)})
        for bound_field in form:
            if bound_field.errors:
                kind = _kind(bound_field.field.widget)
                anchor = bound_field.auto_id
                if kind in {"radios", "checkboxes"}:
                    anchor = f"{bound_field.auto_id}"
                for error in bound_field.errors:
                    items.append({"text": str(error), "href": f"#{anchor}"})
    return items
