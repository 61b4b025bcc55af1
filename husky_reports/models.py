"""The HUSKY report catalog (seed 003): families, reports and their look-back windows.

The catalog is text a specialist reads and an admin may correct; the rules that decide who
appears on a report live in ``rules/membership.py`` and are tied to a catalog row by
``rule_key``. No row ever holds a member: the catalog describes reports, never their content.
"""

from __future__ import annotations

from django.db import models

from .rules import REPORT_NAMES, ReportKey

RULE_CHOICES = [(key.value, name) for key, name in REPORT_NAMES.items()]


class ReportFamily(models.Model):
    """"Gaps in Care Reports", "Utilization Reports", "Panel Reports"."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "report families"

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    family = models.ForeignKey(ReportFamily, on_delete=models.PROTECT, related_name="reports")
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120, unique=True)
    rule_key = models.CharField(
        max_length=40, choices=RULE_CHOICES, unique=True,
        help_text="The rule in husky_reports/rules/membership.py that computes who appears on this report.",
    )
    header = models.TextField(
        blank=True, help_text="The sample report's header, as printed in the presentation."
    )
    population = models.TextField(help_text="Who is on the report, in the presentation's words.")
    shows = models.TextField(blank=True, help_text="What the report provides, one item a line.")
    exclusions = models.CharField(
        max_length=200, blank=True, help_text="Members the report leaves out (blank: none)."
    )
    icm_indicator = models.BooleanField(
        "ICM status indicator", default=True,
        help_text="“Each report now includes an Intensive Care Management (ICM) status "
        "indicator.”",
    )
    coming_soon = models.BooleanField(default=False)
    note = models.TextField(
        blank=True, help_text="Where the presentation is vague or disagrees with itself, and how SupportDesk reads it."
    )
    keywords = models.CharField(
        max_length=300, blank=True,
        help_text="Other words specialists use for this report (ER, mammogram, roster …); "
        "the catalog search reads them.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["family__position", "position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def rule(self) -> ReportKey:
        return ReportKey(self.rule_key)

    @property
    def shows_lines(self) -> list[str]:
        return [line.strip() for line in self.shows.splitlines() if line.strip()]

    def search_text(self) -> str:
        windows = " ".join(f"{w.what} {w.window}" for w in self.look_back_windows.all())
        return " ".join((self.name, self.family.name, self.header, self.population, self.shows,
                         self.exclusions, self.note, self.keywords, windows))


class LookBackWindow(models.Model):
    """One time window a report looks back over, e.g. "Diabetes diagnosis or diabetic
    prescription" / "reported within the last two years"."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE,
                               related_name="look_back_windows")
    what = models.CharField(max_length=160)
    window = models.CharField(max_length=160)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["report", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.what}: {self.window}"
