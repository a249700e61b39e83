"""docs/qualification.md tells applicants how many questions each size band answers: keep it true."""

import re
from pathlib import Path

from dynamic_framework.qualification.content import shipped_content

DOC = Path(__file__).resolve().parents[3] / "docs" / "qualification.md"


def test_the_documented_question_counts_are_the_real_ones():
    counts = {count.size_band: count for count in shipped_content().counts()}
    rows = re.findall(
        r"^\| (Micro|Small|Medium|Large|Major) \| [^|]+ \| (\d+) \| (\d+) \| (\d+) [^|]+\| (\d+) \|$",
        DOC.read_text(),
        flags=re.MULTILINE,
    )
    assert len(rows) == 5
    for band, base, documents, per_category, wales in rows:
        count = counts[band.lower()]
        assert (count.base, count.documents, count.per_category, count.wales) == tuple(
            map(int, (base, documents, per_category, wales))
        ), band
