"""The qualification part of the demo: demo providers' applications to join the framework, at every stage.

- Riverside Women's Centre (demo), a small charity: qualified for Women and Emotional Wellbeing in Durham and
  Northumbria, after answering the evaluator's question about keeping people safe.
- Cwm Valley Recovery Project (demo), a medium Welsh CIO: qualified for Dependency and Recovery in South Wales and
  Gwent, so it answered the Welsh language section.
- Northgate Housing Trust (demo), a large housing association: submitted, assigned to the demo evaluator, who has
  passed some sections and is waiting for Northgate's answer to a question.
- Unity Mentoring Collective (demo), a micro community interest company: a draft, part done.

Everything goes through the qualification services, as the pages would: the application answers the questions of
the framework's current version, uploaded documents are small real PDFs made here, the evaluator assesses, the
framework manager assigns and decides. A provider that already has an application is left alone, so a second run
changes nothing (and anything done to the demo applications in the service is kept).
"""

import textwrap
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

EVALUATOR = "evaluator@example.org"
MANAGER = "framework.manager@example.org"


# Small, valid PDF documents ---------------------------------------------------------------------------------------


def _pdf_text(text: str) -> bytes:
    """A PDF string literal in WinAnsi (Windows-1252) encoding, with its special characters escaped."""
    encoded = text.encode("cp1252", errors="replace")
    return b"(" + encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def demo_pdf(title: str, paragraphs: list[str]) -> bytes:
    """A one-page A4 PDF with a title and paragraphs of text (Helvetica), with a correct cross-reference table,
    so that any PDF reader opens it. Small: a few kilobytes at most."""
    lines = [b"BT", b"/F1 16 Tf", b"56 780 Td", b"20 TL", _pdf_text(title) + b" Tj", b"/F1 11 Tf", b"15 TL", b"T*"]
    for paragraph in paragraphs:
        for line in textwrap.wrap(paragraph, 88) or [""]:
            lines.append(b"T* " + _pdf_text(line) + b" Tj")
        lines.append(b"T*")
    lines.append(b"ET")
    stream = b"\n".join(lines)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Title " + _pdf_text(title) + b" /Producer (Dynamic Framework demo data) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += str(number).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 " + str(len(objects) + 1).encode() + b"\n0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += b"trailer\n<< /Size " + str(len(objects) + 1).encode() + b" /Root 1 0 R /Info 6 0 R >>\n"
    out += b"startxref\n" + str(xref).encode() + b"\n%%EOF\n"
    return bytes(out)


# What each demo provider answers ---------------------------------------------------------------------------------

NO_TO_ALL_ELIGIBILITY = {
    "serious_offences": "no",
    "tax": "no",
    "insolvency": "no",
    "past_performance": "no",
    "misconduct": "no",
    "regulator": "no",
}


@dataclass(frozen=True)
class Document:
    name: str
    title: str
    paragraphs: tuple[str, ...]

    def upload(self) -> SimpleUploadedFile:
        return SimpleUploadedFile(self.name, demo_pdf(self.title, list(self.paragraphs)), "application/pdf")


@dataclass(frozen=True)
class DemoApplication:
    organisation: str  # the demo organisation's name
    applicant: str  # the demo user who fills it in and submits it
    details: dict  # the organisation section, as typed
    categories: tuple[str, ...]
    areas: tuple[str, ...]
    answers: dict  # question key -> answer, as typed (yes_no_explain: "yes"/"no" or ("yes", "explanation"))
    documents: dict = field(default_factory=dict)  # question key -> Document
    case_studies: dict = field(default_factory=dict)  # category slug -> text
    declaration_role: str = ""
    stage: str = "qualified"  # qualified | clarification | draft
    #: A question the evaluator asks about one section: (section key, question, the applicant's answer or "")
    clarification: tuple[str, str, str] | None = None
    #: Sections a draft has finished (the rest are left as they are)
    draft_sections: tuple[str, ...] = ()
    #: For a draft: a section saved part done with "Save and come back later"
    draft_in_progress: str = ""


RIVERSIDE = DemoApplication(
    organisation="Riverside Women's Centre (demo)",
    applicant="admin@riverside.example.org",
    details={
        "legal_form": "registered_charity",
        "income": "85,000",
        "income_year": "2024-25",
        "address": "14 Quayside Walk\nGateshead\nNE8 2BH",
        "contact_email": "hello@riverside.example.org",
        "contact_phone": "0191 496 0123",
    },
    categories=("women", "emotional-wellbeing"),
    areas=("durham", "northumbria"),
    answers={
        **NO_TO_ALL_ELIGIBILITY,
        "financial_concerns": (
            "yes",
            "Our grant from a local trust ends in March 2027. We have applied to two other funders and have reserves "
            "for five months of running costs.",
        ),
        "public_liability": "Yes",
        "employers_liability": "Yes",
        "safeguarding_policy": "yes",
        "safeguarding_lead": "Jo Hughes, Centre Manager",
        "safer_recruitment": "Every member of staff and every volunteer has an enhanced DBS check and two references "
        "before they start. They all do safeguarding training in their first month and again every year, and "
        "key workers have monthly supervision with the centre manager.",
        "ico_registration": "ZA481516",
        "data_protection_lead": "Jo Hughes, Centre Manager",
        "security_self_assessment": [
            "Computers and phones get security updates automatically or within 2 weeks",
            "Everyone uses their own strong password, and two-step sign-in for email",
            "Computers have antivirus or built-in protection switched on",
            "Only people who need to can see personal information about people on probation",
            "Staff and volunteers are trained in data protection when they start",
        ],
        "data_breaches": "no",
        "women": "We are a women-only centre run by women. Women can drop in without an appointment, bring their "
        "children to the creche, and see the same key worker each time. Many of the women we support have "
        "experienced domestic abuse, so our staff are trained in trauma-informed practice and we work closely with "
        "the local refuge.",
        "racially_minoritised": "A third of our volunteers are Black or South Asian women, and we run a weekly group "
        "with the Gateshead Muslim Women's Association. We pay for interpreters when a woman wants one, and we ask "
        "every woman how we could do better, including about racism she has met in other services.",
    },
    documents={
        "income_statement": Document(
            "riverside-accounts-2024-25.pdf",
            "Riverside Women's Centre (demo): accounts for 2024-25",
            (
                "Income for the year to 31 March 2025: 85,000 pounds (grants 61,000; donations 14,500; "
                "training and room hire 9,500).",
                "Spending for the year: 81,200 pounds (staff 58,400; premises 12,600; running costs 10,200).",
                "Reserves at 31 March 2025: 34,000 pounds, about five months of running costs.",
                "Approved by the trustees on 12 June 2025. Demo document: the organisation is fictional.",
            ),
        ),
    },
    case_studies={
        "women": "From 2022 to 2024 we ran the Stepping Stones project with Durham probation staff for 46 women on "
        "community orders. Each woman had a key worker and a weekly women-only group at our centre, with help to "
        "get to appointments. 38 women finished their orders, and 29 told us they felt safer at home at the end.",
        "emotional-wellbeing": "Since 2021 we have run a weekly wellbeing group and one-to-one support for women "
        "with anxiety and low mood, most of them in contact with the criminal justice system. A counsellor and two "
        "trained volunteers run it. In 2024, 52 women took part, and their wellbeing scores (on the Warwick-"
        "Edinburgh scale) went up by 7 points on average after 12 weeks.",
    },
    declaration_role="Centre Manager",
    clarification=(
        "safeguarding",
        "You say your safeguarding lead is your centre manager. Who covers safeguarding when she is away, and "
        "when was your safeguarding policy last reviewed?",
        "Our deputy manager, Amira Khan, covers safeguarding when Jo is away; both have done the level 3 "
        "safeguarding adults course. The trustees last reviewed the policy in January 2026.",
    ),
)

CWM_VALLEY = DemoApplication(
    organisation="Cwm Valley Recovery Project (demo)",
    applicant="admin@cwmvalley.example.org",
    details={
        "legal_form": "charitable_incorporated_organisation",
        "income": "420,000",
        "income_year": "2024-25",
        "address": "Yr Hen Ysgol, Heol y Bryn\nAberdare\nCF44 7RT",
        "contact_email": "post@cwmvalley.example.org",
        "contact_phone": "01685 496 018",
    },
    categories=("dependency-and-recovery",),
    areas=("south-wales", "gwent"),
    answers={
        **NO_TO_ALL_ELIGIBILITY,
        "financial_concerns": "no",
        "public_liability": "Yes",
        "employers_liability": "Yes",
        "professional_indemnity": "Yes",
        "safeguarding_policy": "yes",
        "safeguarding_lead": "Catrin Jones, Director",
        "safer_recruitment": "Everyone who works with people on probation has an enhanced DBS check, references and "
        "a three-month probation period. Peer mentors with lived experience are supported by a named supervisor, "
        "and everyone does safeguarding and naloxone training each year.",
        "ico_registration": "ZB112358",
        "data_protection_lead": "Rhodri Evans, Operations Manager",
        "security_self_assessment": [
            "Computers and phones get security updates automatically or within 2 weeks",
            "Everyone uses their own strong password, and two-step sign-in for email",
            "Computers have antivirus or built-in protection switched on",
            "Important information is backed up, and we have checked we can get it back",
            "Only people who need to can see personal information about people on probation",
            "Staff and volunteers are trained in data protection when they start",
        ],
        "data_breaches": "no",
        "women": "We run a women's recovery group on a different day from the mixed groups, with women peer mentors, "
        "and we can meet women at the local women's centre instead of our building. Our staff are trained to ask "
        "about domestic abuse and to refer to Welsh Women's Aid.",
        "racially_minoritised": "We work with a Cardiff charity led by and for Black and Asian people in recovery, "
        "which runs a joint group with us each month. We recruit peer mentors from the communities we serve and "
        "ask people about their experiences of our service, including of racism, every three months.",
        "welsh_speakers": "Yes",
        "welsh_service": "Seven of our eighteen staff and peer mentors speak Welsh, and we ask everyone at their "
        "first appointment which language they want to use. Our leaflets, letters and text messages are "
        "bilingual, and groups in Aberdare are run in Welsh when the members want it.",
    },
    documents={
        "accounts": Document(
            "cwm-valley-accounts-2024-25.pdf",
            "Cwm Valley Recovery Project (demo): accounts for 2024-25",
            (
                "Income for the year to 31 March 2025: 420,000 pounds (Welsh Government substance misuse grant "
                "240,000; area planning board 110,000; trusts and donations 70,000).",
                "Spending for the year: 408,000 pounds. Reserves: 96,000 pounds.",
                "Independently examined by Morgan and Price, Chartered Accountants. Demo document: the "
                "organisation is fictional.",
            ),
        ),
        "safeguarding_policy_document": Document(
            "cwm-valley-safeguarding-policy.pdf",
            "Cwm Valley Recovery Project (demo): safeguarding policy",
            (
                "We follow the Wales Safeguarding Procedures. Everyone who works or volunteers with us must report "
                "a concern about an adult or child at risk to the designated safeguarding lead on the same day.",
                "Designated safeguarding lead: Catrin Jones, Director. Deputy: Rhodri Evans, Operations Manager.",
                "Reviewed by the trustees in February 2026; next review February 2027.",
            ),
        ),
    },
    case_studies={
        "dependency-and-recovery": "Since 2019 we have run the Camau peer recovery service in Rhondda Cynon Taf. "
        "Peer mentors who are in recovery themselves meet people leaving prison at the gate, go with them to "
        "their first appointments and run daily recovery groups in Welsh and English. In 2024 we supported 140 "
        "people; 85 were still engaged after six months and 61 were in stable housing.",
    },
    declaration_role="Director",
)

NORTHGATE = DemoApplication(
    organisation="Northgate Housing Trust (demo)",
    applicant="admin@northgate.example.org",
    details={
        "legal_form": "housing_association",
        "income": "6,200,000",
        "income_year": "2023-24",
        "address": "Northgate House, 2 Grey Street\nNewcastle upon Tyne\nNE1 6EE",
        "contact_email": "partnerships@northgate.example.org",
        "contact_phone": "0191 496 0777",
    },
    categories=("accommodation",),
    areas=("cleveland", "durham", "northumbria"),
    answers={
        **NO_TO_ALL_ELIGIBILITY,
        "parent_organisation": "no",
        "financial_concerns": "no",
        "public_liability": "Yes",
        "employers_liability": "Yes",
        "professional_indemnity": "Yes",
        "safeguarding_policy": "yes",
        "safeguarding_lead": "Chris Bell, Director of Housing Services",
        "safer_recruitment": "Staff in supported housing have enhanced DBS checks renewed every three years, two "
        "references and safeguarding training before they start. Managers review every safeguarding concern weekly.",
        "ico_registration": "Z9876543",
        "data_protection_lead": "Helen Ward, Data Protection Officer",
        "cyber_essentials": "CE-2026-0457-NHT",
        "cyber_essentials_expiry": ("31", "1", "2027"),
        "data_breaches": (
            "yes",
            "In 2023 a letter about a tenant's support plan was sent to the wrong address. We reported it to the "
            "ICO, apologised to the tenant, and now check addresses against the housing system before posting.",
        ),
        "women": "Two of our schemes in Durham are for women only, with women staff on site day and night. We "
        "work with local women's centres so that women leaving prison can move in on the day they are released.",
        "racially_minoritised": "We monitor who is offered and who accepts our homes by ethnicity every quarter and "
        "act on differences. Our tenant panel includes Black and Asian tenants, and we fund interpreters.",
    },
    documents={
        "audited_accounts": Document(
            "northgate-audited-accounts-2023-24.pdf",
            "Northgate Housing Trust (demo): audited accounts for 2023-24",
            (
                "Turnover for the year to 31 March 2024: 6.2 million pounds. Surplus: 310,000 pounds.",
                "Auditor's report: unqualified opinion, signed on 25 July 2024.",
                "Demo document: the organisation is fictional.",
            ),
        ),
        "insurance_certificates": Document(
            "northgate-insurance-certificates.pdf",
            "Northgate Housing Trust (demo): insurance certificates",
            (
                "Public liability: 10 million pounds. Employer's liability: 10 million pounds. Professional "
                "indemnity: 2 million pounds. All valid until 30 September 2027.",
            ),
        ),
        "safeguarding_policy_document": Document(
            "northgate-safeguarding-policy.pdf",
            "Northgate Housing Trust (demo): safeguarding policy",
            ("Our policy for keeping tenants, their children and our staff safe. Reviewed in April 2025.",),
        ),
        "equality_policy": Document(
            "northgate-equality-policy.pdf",
            "Northgate Housing Trust (demo): equality, diversity and inclusion policy",
            ("How we make sure everyone can get and keep a home with us. Approved by the board in May 2025.",),
        ),
    },
    case_studies={
        "accommodation": "Since 2020 we have provided 60 supported homes in Durham and Northumbria for people "
        "leaving prison, with a support worker for each eight tenants. In 2024, 72 people moved in; 58 were still "
        "housed after a year, and 23 moved on to a tenancy of their own.",
    },
    declaration_role="Director of Housing Services",
    stage="clarification",
    clarification=(
        "data_protection",
        "Your Cyber Essentials certificate runs out on 31 January 2027. Have you renewed it? If you have, please "
        "send the new certificate number.",
        "",
    ),
)

UNITY = DemoApplication(
    organisation="Unity Mentoring Collective (demo)",
    applicant="admin@unity.example.org",
    details={
        "legal_form": "community_interest_company",
        "income": "7,500",
        "income_year": "2024-25",
        "address": "Unit 3, Soho Road Enterprise Centre\nBirmingham\nB21 9LR",
        "contact_email": "team@unity.example.org",
    },
    categories=("young-adults-18-to-25", "black-asian-and-minority-ethnic"),
    areas=("west-midlands",),
    answers={
        **NO_TO_ALL_ELIGIBILITY,
        "safeguarding_policy": "yes",
        "safeguarding_lead": "Marcus Reid, Founder",
    },
    stage="draft",
    draft_sections=("organisation", "scope", "eligibility"),
    draft_in_progress="safeguarding",
)

DEMO_APPLICATIONS = [RIVERSIDE, CWM_VALLEY, NORTHGATE, UNITY]


# Answering a question set --------------------------------------------------------------------------------------


def _raw_answer(question, demo: DemoApplication) -> dict:
    """One question's answer as the section page would post it (the demo's answer, or a plain one by kind when
    framework managers have added a question the demo does not know)."""
    from dynamic_framework.qualification.content import Kind

    key, kind = question.key, question.kind
    value = demo.answers.get(key)
    if kind in {Kind.YES_NO, Kind.YES_NO_EXPLAIN}:
        answer, explanation = (value if isinstance(value, tuple) else (value, "")) if value else ("", "")
        if not answer:
            answer = "yes" if question.explain_when == "no" else "no"
        raw = {key: answer}
        if kind == Kind.YES_NO_EXPLAIN:
            raw[f"{key}__explanation"] = explanation
        return raw
    if kind == Kind.CHOICE:
        return {key: value if value in question.options else question.options[0]}
    if kind == Kind.CHECKLIST:
        return {key: [option for option in (value or question.options) if option in question.options]}
    if kind == Kind.DATE:
        day, month, year = value or ("31", "3", "2027")
        return {f"{key}__day": day, f"{key}__month": month, f"{key}__year": year}
    if kind == Kind.FILE:
        return {}
    return {key: value or "Please see our website, or contact us and we will tell you more."}


def _upload(question, demo: DemoApplication) -> SimpleUploadedFile:
    document = demo.documents.get(question.key) or Document(
        f"{question.key.replace('_', '-')}.pdf",
        f"{demo.organisation}: {question.label}",
        ("Demo document: the organisation is fictional.",),
    )
    return document.upload()


def _answer_section(*, services, application, section, demo: DemoApplication, actor, complete=True) -> None:
    from dynamic_framework.qualification.content import Kind, SectionKind

    if section.kind == SectionKind.ORGANISATION:
        org = application.organisation
        raw = {"name": org.name, "charity_number": "", "company_number": "", "contact_phone": "", **demo.details}
        services.save_organisation_section(actor=actor, application=application, raw=raw)
    elif section.kind == SectionKind.SCOPE:
        services.save_scope(actor=actor, application=application, categories=demo.categories, pcc_areas=demo.areas)
    elif section.kind == SectionKind.CASE_STUDIES:
        raw = {f"case_study:{slug}": demo.case_studies.get(slug, "") for slug in demo.categories}
        services.save_section(actor=actor, application=application, section_key=section.key, raw=raw)
    else:
        in_wales = services.applies_in_wales(application)
        questions = section.questions_for(application.size_band, in_wales=in_wales)
        if not complete:
            questions = [q for q in questions if q.key in demo.answers]
        raw, files = {}, {}
        for question in questions:
            raw.update(_raw_answer(question, demo))
            if question.kind == Kind.FILE:
                files[question.key] = _upload(question, demo)
        services.save_section(
            actor=actor, application=application, section_key=section.key, raw=raw, files=files, complete=complete
        )


def _fill_in(*, services, application, demo: DemoApplication, actor) -> None:
    """Answer every section that applies (for a draft, only the ones it has finished), in order."""
    application.refresh_from_db()
    for section in application.question_set.parsed.sections:
        if demo.stage == "draft" and section.key not in demo.draft_sections:
            continue
        if not section.applies(in_wales=services.applies_in_wales(application)):
            continue
        _answer_section(services=services, application=application, section=section, demo=demo, actor=actor)
        application.refresh_from_db()
    if demo.draft_in_progress:
        section = application.question_set.parsed.section(demo.draft_in_progress)
        if section is not None:
            _answer_section(
                services=services, application=application, section=section, demo=demo, actor=actor, complete=False
            )


def _assess(*, services, application, evaluator, sections=None) -> None:
    for key, _title in services.assessable_sections(application):
        if sections is None or key in sections:
            services.assess_section(actor=evaluator, application=application, section_key=key, outcome="pass")


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _run(demo: DemoApplication, *, framework, organisation, users) -> str:
    """Take one demo provider's application as far as its stage. Returns a line saying what was created."""
    from dynamic_framework.qualification import services

    applicant, evaluator, manager = users[demo.applicant], users[EVALUATOR], users[MANAGER]
    application = services.start_application(actor=applicant, organisation=organisation, framework=framework)
    _fill_in(services=services, application=application, demo=demo, actor=applicant)
    application.refresh_from_db()
    if demo.stage == "draft":
        done = sum(1 for _s, state in services.progress(application) if state == services.SectionState.COMPLETED)
        total = len(services.progress(application))
        return f"{demo.organisation}: a draft application ({application.reference}), {done} of {total} sections done"
    services.submit_application(
        actor=applicant,
        application=application,
        declaration_name=applicant.full_name,
        declaration_role=demo.declaration_role,
        declared=True,
    )
    services.assign_application(actor=manager, application=application, assessor=evaluator)
    application.refresh_from_db()
    units = [key for key, _title in services.assessable_sections(application)]
    asked, question, answer = demo.clarification or ("", "", "")
    if demo.stage == "clarification":
        # The evaluator has got as far as the section they ask about.
        _assess(services=services, application=application, evaluator=evaluator, sections=units[: units.index(asked)])
    else:
        _assess(
            services=services, application=application, evaluator=evaluator, sections=[u for u in units if u != asked]
        )
    if asked:
        services.assess_section(
            actor=evaluator, application=application, section_key=asked, outcome="clarification", note=question
        )
    if demo.stage == "clarification":
        title = application.question_set.parsed.section(asked).title
        return (
            f"{demo.organisation}: application {application.reference} submitted and assigned to "
            f"{evaluator.full_name} ({evaluator.email}), waiting for {applicant.email} to answer a question about "
            f"{title}"
        )
    if asked:
        clarification = application.clarifications.get(section_key=asked, answered_at__isnull=True)
        services.answer_clarification(actor=applicant, clarification=clarification, answer=answer)
        services.assess_section(actor=evaluator, application=application, section_key=asked, outcome="pass")
    application.refresh_from_db()
    services.decide_application(
        actor=manager,
        application=application,
        decisions=dict.fromkeys(demo.categories, ("qualified", "Your answers show what the framework needs.")),
    )
    categories = [c.category.name for c in application.category_choices.select_related("category")]
    areas = sorted(application.pcc_areas.values_list("name", flat=True))
    welsh = " (with the Welsh language section)" if services.applies_in_wales(application) else ""
    return (
        f"{demo.organisation}: application {application.reference} qualified for {_and(categories)} in "
        f"{_and(areas)}{welsh}, on the register"
    )


def load_qualification_demo(*, organisations: dict, users: dict) -> list[str]:
    """Create the demo applications that are missing. `organisations` and `users`: the demo ones, by name and by
    email. Returns a line for each application created (none on a second run)."""
    from dynamic_framework.qualification import selectors
    from dynamic_framework.qualification.models import Application

    framework = selectors.the_framework()
    if framework is None or not framework.is_open:
        return []
    created = []
    for demo in DEMO_APPLICATIONS:
        organisation = organisations.get(demo.organisation)
        needed = [demo.applicant, EVALUATOR, MANAGER]
        if organisation is None or any(email not in users for email in needed):
            continue
        if Application.objects.filter(framework=framework, organisation=organisation).exists():
            continue
        try:
            created.append(_run(demo, framework=framework, organisation=organisation, users=users))
        except ValidationError as exc:
            raise ValidationError(f"{demo.organisation}: {'; '.join(exc.messages)}") from exc
    return created
