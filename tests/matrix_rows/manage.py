"""Permission matrix rows for the framework managers' pages (qualification/views/manage.py): only framework managers,
everyone else 403, anonymous to sign in. Pages that answer only POST (or only GET) answer 405 to the other method,
for everyone.

Objects (world.py): world.managed_framework (the framework these pages manage, open), world.question_set (its
published version 1) and world.draft_question_set (its draft version 2); world.framework's first extension option.
"""


def rows(m) -> list:
    fm = [m.FRAMEWORK_MANAGER]
    manage = m.url("qualification:manage")
    questions = m.url("qualification:questions")
    published = m.attr("question_set.version")
    draft = m.attr("draft_question_set.version")

    def version_page(version):
        return m.url("qualification:question-set", version=version)

    framework_details = {
        "name": "Probation Services Dynamic Framework (renamed)",
        "purpose": "Buying rehabilitation services for people on probation.",
        "starts_on_day": "15",
        "starts_on_month": "6",
        "starts_on_year": "2020",
        "ends_on_day": "10",
        "ends_on_month": "6",
        "ends_on_year": "2027",
        "confirmation_interval_months": "12",
    }

    question = {
        "kind": "long_text",
        "label": "How do you help people find work?",
        "hint": "Tell us about one person.",
        "size_bands": ["micro", "small", "medium", "large", "major"],
        "required": "on",
        "word_limit": "200",
    }

    def first_extension(world):
        return world.framework.extensions.order_by("position").first().pk

    return [
        # The framework
        m.Row("qualification:manage", "GET", manage, m.only(fm)),
        m.Row("qualification:manage", "POST", manage, m.only(fm), variant="empty form"),
        m.Row(
            "qualification:manage",
            "POST",
            manage,
            m.only(fm, allowed=m.redirect("/framework/manage/")),
            variant="valid",
            data=framework_details,
        ),
        m.Row("qualification:manage-open", "GET", m.url("qualification:manage-open"), m.public(405)),
        m.Row(
            "qualification:manage-open",
            "POST",
            m.url("qualification:manage-open"),
            m.only(fm, allowed=m.redirect("/framework/manage/")),
            variant="already open: a message",
        ),
        m.Row("qualification:manage-close", "GET", m.url("qualification:manage-close"), m.only(fm)),
        m.Row(
            "qualification:manage-close", "POST", m.url("qualification:manage-close"), m.only(fm), variant="no reason"
        ),
        m.Row(
            "qualification:manage-close",
            "POST",
            m.url("qualification:manage-close"),
            m.only(fm, allowed=m.redirect("/framework/manage/")),
            variant="with a reason",
            data={"reason": "Reviewing the questions."},
        ),
        m.Row(
            "qualification:manage-extend",
            "GET",
            m.url("qualification:manage-extend", pk=first_extension),
            m.public(405),
        ),
        m.Row(
            "qualification:manage-extend",
            "POST",
            m.url("qualification:manage-extend", pk=first_extension),
            m.only(fm, allowed=m.redirect("/framework/manage/")),
        ),
        m.Row(
            "qualification:manage-extend",
            "POST",
            m.url("qualification:manage-extend", pk=999999),
            m.only(fm, allowed=404),
            variant="unknown",
        ),
        # The versions
        m.Row("qualification:questions", "GET", questions, m.only(fm)),
        m.Row(
            "qualification:questions",
            "POST",
            questions,
            m.only(fm, allowed=m.redirect("/framework/manage/questions/")),
            variant="a draft exists: a message",
        ),
        m.Row("qualification:question-set", "GET", version_page(published), m.only(fm), variant="published"),
        m.Row("qualification:question-set", "GET", version_page(draft), m.only(fm), variant="draft"),
        m.Row("qualification:question-set", "GET", version_page(99), m.only(fm, allowed=404), variant="unknown"),
        m.Row("qualification:question-set", "POST", version_page(draft), m.public(405)),
        # Sections
        m.Row(
            "qualification:edit-section",
            "GET",
            m.url("qualification:edit-section", version=draft, section_key="eligibility"),
            m.only(fm),
        ),
        m.Row(
            "qualification:edit-section",
            "GET",
            m.url("qualification:edit-section", version=published, section_key="eligibility"),
            m.only(fm, allowed=m.redirect(lambda w: f"/framework/manage/questions/{w.question_set.version}/")),
            variant="published: refused",
        ),
        m.Row(
            "qualification:edit-section",
            "GET",
            m.url("qualification:edit-section", version=draft, section_key="nothing"),
            m.only(fm, allowed=404),
            variant="unknown",
        ),
        m.Row(
            "qualification:edit-section",
            "POST",
            m.url("qualification:edit-section", version=draft, section_key="eligibility"),
            m.only(fm),
            variant="empty form",
        ),
        m.Row(
            "qualification:edit-section",
            "POST",
            m.url("qualification:edit-section", version=draft, section_key="eligibility"),
            m.only(fm, allowed=m.redirect(lambda w: f"/framework/manage/questions/{w.draft_question_set.version}/")),
            variant="valid",
            data={"title": "Can you join?", "guidance": "Answer honestly."},
        ),
        # Questions
        m.Row(
            "qualification:add-question",
            "GET",
            m.url("qualification:add-question", version=draft, section_key="eligibility"),
            m.only(fm),
        ),
        m.Row(
            "qualification:add-question",
            "GET",
            m.url("qualification:add-question", version=draft, section_key="organisation"),
            m.only(fm, allowed=404),
            variant="not a section of questions",
        ),
        m.Row(
            "qualification:add-question",
            "POST",
            m.url("qualification:add-question", version=draft, section_key="eligibility"),
            m.only(fm),
            variant="empty form",
        ),
        m.Row(
            "qualification:add-question",
            "POST",
            m.url("qualification:add-question", version=draft, section_key="eligibility"),
            m.only(fm, allowed=m.redirect(lambda w: f"/framework/manage/questions/{w.draft_question_set.version}/")),
            variant="valid",
            data={"key": "finding_work", **question},
        ),
        m.Row(
            "qualification:edit-question",
            "GET",
            m.url("qualification:edit-question", version=draft, question_key="tax"),
            m.only(fm),
        ),
        m.Row(
            "qualification:edit-question",
            "GET",
            m.url("qualification:edit-question", version=draft, question_key="nothing"),
            m.only(fm, allowed=404),
            variant="unknown",
        ),
        m.Row(
            "qualification:edit-question",
            "POST",
            m.url("qualification:edit-question", version=draft, question_key="tax"),
            m.only(fm),
            variant="empty form",
        ),
        m.Row(
            "qualification:edit-question",
            "POST",
            m.url("qualification:edit-question", version=draft, question_key="tax"),
            m.only(fm, allowed=m.redirect(lambda w: f"/framework/manage/questions/{w.draft_question_set.version}/")),
            variant="valid",
            data=question,
        ),
        m.Row(
            "qualification:remove-question",
            "GET",
            m.url("qualification:remove-question", version=draft, question_key="tax"),
            m.public(405),
        ),
        m.Row(
            "qualification:remove-question",
            "POST",
            m.url("qualification:remove-question", version=draft, question_key="tax"),
            m.only(fm, allowed=m.redirect(lambda w: f"/framework/manage/questions/{w.draft_question_set.version}/")),
        ),
        m.Row(
            "qualification:remove-question",
            "POST",
            m.url("qualification:remove-question", version=draft, question_key="nothing"),
            m.only(fm, allowed=404),
            variant="unknown",
        ),
        # Publishing and discarding
        m.Row("qualification:publish", "GET", m.url("qualification:publish", version=draft), m.only(fm)),
        m.Row(
            "qualification:publish",
            "GET",
            m.url("qualification:publish", version=published),
            m.only(fm, allowed=m.redirect(lambda w: f"/framework/manage/questions/{w.question_set.version}/")),
            variant="published already",
        ),
        m.Row(
            "qualification:publish",
            "POST",
            m.url("qualification:publish", version=draft),
            m.only(fm),
            variant="no note",
        ),
        m.Row(
            "qualification:publish",
            "POST",
            m.url("qualification:publish", version=draft),
            m.only(fm, allowed=m.redirect("/framework/manage/questions/")),
            variant="valid",
            data={"change_note": "A clearer question about tax."},
        ),
        m.Row("qualification:discard", "GET", m.url("qualification:discard", version=draft), m.public(405)),
        m.Row(
            "qualification:discard",
            "POST",
            m.url("qualification:discard", version=draft),
            m.only(fm, allowed=m.redirect("/framework/manage/questions/")),
        ),
        m.Row(
            "qualification:discard",
            "POST",
            m.url("qualification:discard", version=99),
            m.only(fm, allowed=404),
            variant="unknown",
        ),
    ]
