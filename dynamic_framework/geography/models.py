"""Probation regions, Police and Crime Commissioner areas and probation delivery units."""

from django.db import models


class Region(models.Model):
    """One of the 12 probation regions of England and Wales (codes A to L)."""

    class Nation(models.TextChoices):
        ENGLAND = "England", "England"
        WALES = "Wales", "Wales"

    code = models.CharField(max_length=1, unique=True)
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    nation = models.CharField(max_length=10, choices=Nation.choices)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[A-Z]$"), name="region_code_one_letter"),
            models.CheckConstraint(condition=models.Q(nation__in=["England", "Wales"]), name="region_nation_valid"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_wales(self) -> bool:
        return self.nation == self.Nation.WALES


class PccArea(models.Model):
    """A Police and Crime Commissioner area: the smallest lot the Dynamic Framework buys for."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=100, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="pcc_areas")

    class Meta:
        ordering = ["name"]
        verbose_name = "PCC area"

    def __str__(self):
        return self.name

    @property
    def is_wales(self) -> bool:
        return self.region.is_wales


class ProbationDeliveryUnit(models.Model):
    """A probation delivery unit (PDU): where probation practitioners work."""

    code = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=150)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="delivery_units")

    class Meta:
        ordering = ["name"]
        verbose_name = "probation delivery unit"
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="pdu_name_unique_in_region")]

    def __str__(self):
        return self.name
