"""Write the notebooks of this folder from the cells below (committed without outputs).

    python notebooks/build.py

Edit the cells here, not the .ipynb files: a test checks that the files match this script,
and another executes every notebook with nbclient.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import nbformat

HERE = Path(__file__).resolve().parent

SETUP = """\
import os
from pathlib import Path

import matplotlib.pyplot as plt

import disaster_protocol as dp
from disaster_protocol import plots

# run from the repository's root, wherever Jupyter was started
root = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "examples").is_dir())
os.chdir(root)
plt.rcParams["figure.dpi"] = 90
protocol = dp.load_protocol()
protocol"""

NOTEBOOKS: dict[str, list[tuple[str, str]]] = {
    "01_one_institution.ipynb": [
        ("markdown", "# One institution\n\nLoad an (illustrative) profile, assess it against "
                     "the bundled CISS protocol, read its findings and plan, and look at it."),
        ("code", SETUP),
        ("code", 'profile = dp.load_profile("examples/profiles/caja_intermedia.yaml", protocol)\n'
                 "assessment = dp.assess(protocol, profile)\nassessment"),
        ("markdown", "The findings and the plan, as DataFrames (titles in English):"),
        ("code", 'assessment.to_frame("findings", lang="en").head(10)'),
        ("code", 'assessment.to_frame("plan", lang="en").head(5)'),
        ("markdown", "Scores by Sendai priority and by phase (each figure sized for its "
                     "labels):"),
        ("code", 'plots.radar(assessment, by="priority", lang="en");'),
        ("code", 'plots.radar(assessment, by="phase", lang="en");'),
        ("markdown", "What the critical actions wait for, phase by phase "
                     '(`scope="all"` draws all of them):'),
        ("code", 'plots.dependency_graph(protocol, lang="en");'),
        ("markdown", "The report, as a director would read it (its styles stay inside it):"),
        ("code", "from IPython.display import HTML\n\nHTML(assessment._repr_html_())"),
    ],
    "02_region.ipynb": [
        ("markdown", "# A region\n\nTwenty **invented** institutions (`examples/region/`): a "
                     "batch, a summary by subregion with small groups suppressed, a heatmap, "
                     "the weakest priorities and one institution over time."),
        ("code", SETUP),
        ("code", 'region = dp.assess_many(protocol, ["examples/region/2026"], '
                 "keep_assessments=True)\nregion"),
        ("code", "region.to_frame().sort_values('score').head()"),
        ("code", 'summary = region.summary("subregion", k=3)\nsummary'),
        ("markdown", "Scores by subregion and Sendai priority, best first. By country "
                     "every group has fewer than three institutions and would be suppressed "
                     "(the figure says so); by subregion every group is large enough:"),
        ("code", 'plots.heatmap(region, by="subregion", columns="priority", lang="en");'),
        ("markdown", "Every institution by phase (each cell its score):"),
        ("code", 'plots.heatmap(region, lang="en");'),
        ("markdown", "The weakest Sendai priorities across the region (mean score):"),
        ("code", 'groups = region.to_frame("groups")\n'
                 'groups[groups["family"] == "priority"].groupby("group")["score"].mean()'
                 ".sort_values()"),
        ("markdown", "One institution across the two rounds:"),
        ("code", 'later = dp.assess_many(protocol, ["examples/region/2027"], '
                 "keep_assessments=True)\n"
                 "first = next(a for a in region.assessments if a.institution.id == 'pe-salud')\n"
                 "second = next(a for a in later.assessments if a.institution.id == 'pe-salud')\n"
                 "change = dp.compare(first, second)\n"
                 'plots.comparison_bars(change, by="phase", lang="en")\nchange'),
    ],
    "03_cooperation.ipynb": [
        ("markdown", "# A cooperation round\n\nOffers and demands of the invented region, "
                     "the plan (round 1 under the default budget, the roadmap of later "
                     "rounds, unmet demands), who gives to whom in round 1, and the "
                     "evaluation of the later round: an association, not proof of cause."),
        ("code", SETUP),
        ("code", 'region = dp.assess_many(protocol, ["examples/region/2026"], '
                 "keep_assessments=True)\nplan = dp.cooperation.match(region)\nplan"),
        ("code", 'frame = plan.to_frame(lang="en")\n'
                 'frame.groupby("round")["kind"].value_counts().unstack(fill_value=0)'),
        ("code", "plan.only_give, plan.only_receive"),
        ("markdown", "Round 1 as a matrix: a row per workshop (its action and host; a dot "
                     "per participant), then a row per provider of bilateral exchanges:"),
        ("code", 'plots.cooperation_matrix(plan, lang="en");'),
        ("code", 'plan.to_frame("workshops", lang="en")'),
        ("code", 'later = dp.assess_many(protocol, ["examples/region/2027"], '
                 "keep_assessments=True)\n"
                 "evaluation = dp.cooperation.evaluate(plan, region, later)\n"
                 'print(evaluation.to_text("en"))'),
    ],
}


def notebook(cells: list[tuple[str, str]]) -> Any:
    """A notebook of these cells, with no outputs and a Python 3 kernel."""
    v4: Any = nbformat.v4  # nbformat has no type hints
    nb = v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    for i, (kind, source) in enumerate(cells):
        cell = (v4.new_markdown_cell(source) if kind == "markdown"
                else v4.new_code_cell(source))
        cell["id"] = f"cell-{i}"
        nb.cells.append(cell)
    return nb


def write(target: Path = HERE) -> list[Path]:
    """Write every notebook under ``target``; return the files."""
    written = []
    for name, cells in NOTEBOOKS.items():
        path = target / name
        writes: Any = nbformat.writes
        path.write_text(writes(notebook(cells)) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    print(f"wrote {len(write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE))} notebooks")
