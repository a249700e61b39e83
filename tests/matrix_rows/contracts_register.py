"""Permission matrix rows for the contract register (contracts/views/register.py, contracts/api/register.py).

The register, the CSV and each contract's page are public; a bad filter is a GOV.UK error on the page (200) and a
400 for the CSV and the API. Documents: the contract's commissioners add them (the matrix commissioner commissions
world.contract's region, not world.other_contract's); a published document is for everyone, one not published for
the contract's parties (its region's commissioners, the lead provider's and the supply chain's members: the provider
users belong to world.org, world.contract's lead provider). The pipeline is for commissioners and framework managers.

Objects (contracts_world.py and build() below): world.contract, world.other_contract, world.contract_public_document
and world.contract_private_document (both on world.contract).
"""


def build(world) -> None:
    from dynamic_framework.contracts import services
    from dynamic_framework.qualification.tests.factories import pdf

    commissioner = world.users["commissioner"]
    world.contract_public_document = services.add_document(
        actor=commissioner, contract=world.contract, title="Specification", uploaded=pdf("spec.pdf"), public=True
    )
    world.contract_private_document = services.add_document(
        actor=commissioner, contract=world.contract, title="Signed contract", uploaded=pdf("signed.pdf"), public=False
    )


def rows(m) -> list:
    Row, url, attr = m.Row, m.url, m.attr
    com, fm = m.COMMISSIONER, m.FRAMEWORK_MANAGER
    provider = [m.PROVIDER_ADMINISTRATOR, m.PROVIDER_STAFF]

    contract = url("contracts:contract", reference=attr("contract.reference"))
    add = url("contracts:document-add", reference=attr("contract.reference"))
    other_add = url("contracts:document-add", reference=attr("other_contract.reference"))
    public_doc = url("contracts:document", reference=attr("contract.reference"), pk=attr("contract_public_document.pk"))
    private_doc = url(
        "contracts:document", reference=attr("contract.reference"), pk=attr("contract_private_document.pk")
    )

    def wrong_contract_doc(world):
        from django.urls import reverse

        return reverse(
            "contracts:document",
            kwargs={"reference": world.other_contract.reference, "pk": world.contract_private_document.pk},
        )

    return [
        # The register and its CSV
        Row("contracts:register", "GET", url("contracts:register"), m.public()),
        Row("contracts:register", "GET", "/contracts/?region=A&status=live", m.public(), variant="filtered"),
        Row("contracts:register", "GET", "/contracts/?region=Z&ends_after_day=40", m.public(), variant="bad filters"),
        Row("contracts:register", "POST", url("contracts:register"), m.public(405)),
        Row("contracts:register-csv", "GET", url("contracts:register-csv"), m.public()),
        Row("contracts:register-csv", "GET", "/contracts.csv?status=asleep", m.public(400), variant="bad filters"),
        Row("contracts:register-csv", "POST", url("contracts:register-csv"), m.public(405)),
        # One contract
        Row("contracts:contract", "GET", contract, m.public()),
        Row(
            "contracts:contract",
            "GET",
            url("contracts:contract", reference=attr("other_contract.reference")),
            m.public(),
            variant="another region's",
        ),
        Row("contracts:contract", "GET", "/contracts/NO-SUCH-CONTRACT/", m.public(404), variant="unknown"),
        Row("contracts:contract", "POST", contract, m.public(405)),
        # Documents
        Row("contracts:document-add", "GET", add, m.only([com])),
        Row("contracts:document-add", "GET", other_add, m.only([]), variant="another region's contract"),
        Row("contracts:document-add", "GET", "/contracts/NO-SUCH/documents/add/", m.signed_in(404), variant="unknown"),
        Row("contracts:document-add", "POST", add, m.only([com]), variant="empty form"),
        Row("contracts:document-add", "POST", other_add, m.only([]), variant="another region's contract"),
        Row("contracts:document-add", "DELETE", add, m.public(405)),
        Row("contracts:document", "GET", public_doc, m.public(), variant="published"),
        Row("contracts:document", "GET", private_doc, m.only([com, *provider]), variant="not published"),
        Row("contracts:document", "GET", wrong_contract_doc, m.public(404), variant="another contract's"),
        Row("contracts:document", "POST", public_doc, m.public(405)),
        # The pipeline
        Row("contracts:pipeline", "GET", url("contracts:pipeline"), m.only([com, fm])),
        Row(
            "contracts:pipeline",
            "GET",
            "/contracts/pipeline/?months=18&chosen=1&region=A",
            m.only([com, fm]),
            variant="chosen",
        ),
        Row("contracts:pipeline", "GET", "/contracts/pipeline/?months=7", m.only([com, fm]), variant="bad choice"),
        Row("contracts:pipeline", "POST", url("contracts:pipeline"), m.public(405)),
        # The API
        Row("api:contract-list", "GET", "/api/v1/contracts/", m.api_public()),
        Row("api:contract-list", "GET", "/api/v1/contracts/?region=Z", m.api_public(400), variant="bad filters"),
        Row("api:contract-list", "POST", "/api/v1/contracts/", m.api_public(405), data={}),
        Row("api:contract-detail", "GET", lambda w: f"/api/v1/contracts/{w.contract.reference}/", m.api_public()),
        Row("api:contract-detail", "GET", "/api/v1/contracts/NO-SUCH/", m.api_public(404), variant="unknown"),
        Row("api:contract-detail", "DELETE", lambda w: f"/api/v1/contracts/{w.contract.reference}/", m.api_public(405)),
        Row("api:contract-pipeline-list", "GET", "/api/v1/contracts/pipeline/", m.api_only([com, fm])),
        Row(
            "api:contract-pipeline-list",
            "GET",
            "/api/v1/contracts/pipeline/?months=7",
            m.api_only([com, fm], allowed=400),
            variant="bad choice",
        ),
        Row(
            "api:contract-pipeline-list",
            "POST",
            "/api/v1/contracts/pipeline/",
            m.api_only([com, fm], allowed=405),
            data={},
        ),
    ]
