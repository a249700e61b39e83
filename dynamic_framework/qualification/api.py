"""The qualification API: the framework, the public register and applications (for those allowed to see them).

- /api/v1/frameworks/              public: the framework, its term and extensions, its status and how many
                                   questions each size band answers
- /api/v1/register/                public: qualified organisations and their current qualifications, with the
                                   register page's filters (a bad value answers 400 with the field's message)
- /api/v1/applications/            signed in: the applications the caller may see (their organisations', those
                                   assigned to them, and for framework managers every submitted one). Someone
                                   else's application answers 404, so a reference is never confirmed to outsiders.
                                   Answers and documents are not in the API.
"""

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny

from dynamic_framework.core.permissions import HasRulesPermission
from dynamic_framework.organisations import selectors as organisation_selectors
from dynamic_framework.organisations.api import FILTER_PARAMETERS as DIRECTORY_FILTER_PARAMETERS
from dynamic_framework.organisations.api import _split_commas
from dynamic_framework.organisations.identifiers import org_id

from . import selectors
from .forms_register import RegisterFilterForm
from .models import Application, Framework, QuestionSet
from .views.register import Lookups, matching_qualifications, register_queryset

# The frameworks -----------------------------------------------------------------------------------------------


class FrameworkSerializer(serializers.ModelSerializer):
    categories = serializers.SerializerMethodField(help_text="The service categories providers can qualify for.")
    effective_end = serializers.DateField(read_only=True, help_text="The last day, with the extensions used so far.")
    extensions = serializers.SerializerMethodField(help_text="Options to extend the term, in order.")
    status = serializers.CharField(read_only=True, help_text="not_open, open, closed (to new applications) or ended.")
    question_set_version = serializers.SerializerMethodField(help_text="The version new applications answer.")
    question_counts = serializers.SerializerMethodField(
        help_text="How many questions each size band answers: `base` for everyone in the band, `wales` more when "
        "applying for areas in Wales, `per_category` more for each category applied for, and `documents` (of the "
        "base questions) that ask for a document."
    )

    class Meta:
        model = Framework
        fields = [
            "name",
            "slug",
            "purpose",
            "categories",
            "starts_on",
            "ends_on",
            "effective_end",
            "extensions",
            "status",
            "question_set_version",
            "question_counts",
        ]
        read_only_fields = fields

    def get_categories(self, framework) -> list[dict]:
        return [{"slug": c.slug, "name": c.name, "number": c.number} for c in framework.categories.all()]

    def get_extensions(self, framework) -> list[dict]:
        return [
            {
                "position": e.position,
                "months": e.months,
                "exercise_by": e.exercise_by.isoformat(),
                "exercised": e.exercised_at is not None,
            }
            for e in framework._extensions
        ]

    def _current(self, framework):
        published = getattr(framework, "published_question_sets", None)
        return published[0] if published else None

    def get_question_set_version(self, framework) -> int | None:
        current = self._current(framework)
        return current.version if current else None

    def get_question_counts(self, framework) -> list[dict]:
        current = self._current(framework)
        if current is None:
            return []
        return [
            {
                "size_band": count.size_band,
                "base": count.base,
                "wales": count.wales,
                "per_category": count.per_category,
                "documents": count.documents,
            }
            for count in current.parsed.counts()
        ]


@extend_schema_view(
    list=extend_schema(
        summary="List frameworks",
        description="The Dynamic Framework (there is one today): its purpose, categories, term, extensions, status "
        "and how many questions each size band answers to join.",
        tags=["Qualification"],
    ),
    retrieve=extend_schema(summary="One framework, by slug", tags=["Qualification"]),
)
class FrameworkViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    serializer_class = FrameworkSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Framework.objects.prefetch_related(
            "categories",
            "extensions",
            Prefetch(
                "question_sets",
                queryset=QuestionSet.objects.filter(published_at__isnull=False).order_by("-version"),
                to_attr="published_question_sets",
            ),
        ).order_by("pk")


# The register -------------------------------------------------------------------------------------------------


class RegisterSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    identifiers = serializers.SerializerMethodField(help_text="Register numbers in org-id form.")
    sector = serializers.CharField()
    size_band = serializers.CharField()
    specialisms = serializers.SerializerMethodField()
    first_qualified_at = serializers.SerializerMethodField()
    qualified_until = serializers.SerializerMethodField(
        help_text="The framework's last day: a qualification lasts until then unless suspended or removed."
    )
    qualifications = serializers.SerializerMethodField(
        help_text="Current qualifications (matching the category and area filters, if any): category slug and "
        "name, PCC area slugs, region codes, when it was qualified and whether it is suspended now."
    )

    def get_identifiers(self, org) -> list[str]:
        return [org_id(i.scheme, i.identifier) for i in org.identifiers.all()]

    def get_specialisms(self, org) -> list[str]:
        return [s.slug for s in org.specialisms.all()]

    def get_first_qualified_at(self, org) -> str | None:
        first = min((q.qualified_at for q in org.register_qualifications), default=None)
        return serializers.DateTimeField().to_representation(first) if first else None

    def get_qualified_until(self, org) -> str:
        return self.context["framework"].effective_end.isoformat()

    def get_qualifications(self, org) -> list[dict]:
        out = []
        for q in matching_qualifications(org, self.context["filters"]):
            areas = [qa.pcc_area for qa in q.areas.all()]
            out.append(
                {
                    "category": q.category.slug,
                    "category_name": q.category.name,
                    "pcc_areas": [a.slug for a in areas],
                    "regions": sorted({a.region.code for a in areas}),
                    "qualified_at": serializers.DateTimeField().to_representation(q.qualified_at),
                    "suspended": bool(q.is_suspended),
                }
            )
        return out


REGISTER_FILTER_PARAMETERS = [
    OpenApiParameter("category", OpenApiTypes.STR, description="Service category slug, like women."),
    *(p for p in DIRECTORY_FILTER_PARAMETERS if p.name != "kind"),
]


@extend_schema_view(
    list=extend_schema(
        summary="The register of qualified providers",
        description="Organisations with a current qualification (suspended ones included, marked), by name, with "
        "the register page's filters: `region` and `pcc_area` match qualifications for areas there. A filter "
        "value that names nothing answers 400 with a message for that parameter.",
        tags=["Qualification"],
        parameters=REGISTER_FILTER_PARAMETERS,
    ),
    retrieve=extend_schema(
        summary="One organisation on the register, by its slug",
        description="404 when the organisation has no current qualification.",
        tags=["Qualification"],
        parameters=[OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, description="Its slug.")],
    ),
)
class RegisterViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    serializer_class = RegisterSerializer
    lookup_field = "slug"

    def _framework(self):
        framework = getattr(self, "_the_framework", None)
        if framework is None:
            framework = selectors.the_framework()
            if framework is None:
                raise NotFound("The framework has not been set up.")
            self._the_framework = framework
        return framework

    def _filters(self) -> selectors.RegisterFilters:
        if self.action != "list":
            return selectors.RegisterFilters()
        lookups = Lookups.load()
        form = RegisterFilterForm(
            _split_commas(self.request.query_params),
            categories=list(self._framework().categories.all()),
            regions=lookups.regions,
            pcc_areas=lookups.pcc_areas,
            specialisms=list(organisation_selectors.specialisms()),
        )
        if not form.is_valid():
            raise ValidationError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
        return form.filters()

    def get_queryset(self):
        self.filters = self._filters()
        return register_queryset(self._framework(), self.filters)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["framework"] = self._framework()
        context["filters"] = getattr(self, "filters", selectors.RegisterFilters())
        return context


# Applications -------------------------------------------------------------------------------------------------


class ApplicationSerializer(serializers.ModelSerializer):
    framework = serializers.SlugRelatedField(read_only=True, slug_field="slug")
    organisation = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text=f"One of: {', '.join(Application.Status.values)}.")
    status_label = serializers.CharField(read_only=True)
    question_set_version = serializers.IntegerField(source="question_set.version", read_only=True)
    categories = serializers.SerializerMethodField(
        help_text="Each category applied for, with its decision once made: outcome (qualified, not_qualified or "
        "empty), the reasons written for the applicant, and when it was decided."
    )
    pcc_areas = serializers.SerializerMethodField(help_text="Slugs of the PCC areas applied for.")

    class Meta:
        model = Application
        fields = [
            "reference",
            "framework",
            "organisation",
            "status",
            "status_label",
            "question_set_version",
            "size_band",
            "categories",
            "pcc_areas",
            "started_at",
            "submitted_at",
            "decided_at",
            "withdrawn_at",
        ]
        read_only_fields = fields

    def get_organisation(self, application) -> dict:
        return {"slug": application.organisation.slug, "name": application.organisation.name}

    def get_categories(self, application) -> list[dict]:
        return [
            {
                "category": choice.category.slug,
                "name": choice.category.name,
                "outcome": choice.outcome,
                "reasons": choice.reasons,
                "decided_at": serializers.DateTimeField().to_representation(choice.decided_at)
                if choice.decided_at
                else None,
            }
            for choice in application.category_choices.all()
        ]

    def get_pcc_areas(self, application) -> list[str]:
        return [area.slug for area in application.pcc_areas.all()]


@extend_schema_view(
    list=extend_schema(
        summary="Applications you may see",
        description="Your organisations' applications (drafts included), the ones assigned to you to assess, and "
        "for framework managers every submitted application; newest first. Answers and documents are not included.",
        tags=["Qualification"],
    ),
    retrieve=extend_schema(
        summary="One application, by reference",
        description="404 for an application you may not see (whether or not it exists).",
        tags=["Qualification"],
    ),
)
class ApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasRulesPermission]
    permission_required = "accounts.view_own_account"  # signed in (401 otherwise); what they see is below
    object_permission_required = "qualification.view_application"
    serializer_class = ApplicationSerializer
    lookup_field = "reference"

    def get_queryset(self):
        return selectors.applications_visible_to(self.request.user)


def register(router) -> None:
    """Add this app's routes to the API router."""
    router.register("frameworks", FrameworkViewSet, basename="framework")
    router.register("register", RegisterViewSet, basename="register")
    router.register("applications", ApplicationViewSet, basename="application")
