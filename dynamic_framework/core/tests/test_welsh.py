import pytest
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(scope="module", autouse=True)
def compiled_translations():
    call_command("compile_translations", verbosity=0)
    translation.trans_real._translations = {}
    translation.trans_real._active = translation.trans_real.Local()
    yield


@pytest.mark.django_db
def test_language_toggle_switches_to_welsh_and_back(client, reference_data):
    html = client.get("/regions/").content.decode()
    assert '<html lang="en"' in html
    assert 'name="language" value="cy"' in html

    response = client.post("/i18n/setlang/", {"language": "cy", "next": "/regions/"})
    assert response.status_code == 302
    assert response["Location"] == "/regions/"

    html = client.get("/regions/").content.decode()
    assert '<html lang="cy"' in html
    assert "Sefydliadau" in html  # "Organisations" in the navigation
    assert "Rhanbarthau prawf ac ardaloedd Comisiynwyr yr Heddlu a Throseddu" in html
    assert "Neidio i’r prif gynnwys" in html
    assert 'name="language" value="en"' in html

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_untranslated_strings_fall_back_to_english(client, reference_data):
    client.post("/i18n/setlang/", {"language": "cy", "next": "/"})
    html = client.get("/cookies/").content.decode()
    assert "Cookies are small files saved on your phone" in html
    assert "Cwcis" in html


def test_setlang_refuses_an_unsafe_next(client, db):
    response = client.post("/i18n/setlang/", {"language": "cy", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
