"""The public API is small and deliberate: changing it must change this test."""

from __future__ import annotations

import dataclasses
import pickle
import typing
from pathlib import Path

import pytest

import disaster_protocol as dp


def test_public_names_are_pinned() -> None:
    assert dp.__all__ == [
        "Action",
        "ActionStatus",
        "Assessment",
        "Comparison",
        "CrosswalkError",
        "DisasterProtocolError",
        "Finding",
        "InputWarning",
        "Institution",
        "Lang",
        "MigrationError",
        "PartnersError",
        "Phase",
        "PlanStep",
        "Portfolio",
        "Problem",
        "ProblemCode",
        "Profile",
        "ProfileError",
        "ProfileState",
        "Protocol",
        "ProtocolError",
        "Renewal",
        "Role",
        "Submission",
        "Submissions",
        "Text",
        "TranslationWarning",
        "Trend",
        "__version__",
        "assess",
        "assess_many",
        "compare",
        "from_frame",
        "load_profile",
        "load_protocol",
        "loads_profile",
        "loads_protocol",
        "profile_from_dict",
        "read_submissions",
        "render",
        "renew",
        "trend",
    ]
    assert dp.__all__ == sorted(dp.__all__)


def test_every_public_name_exists() -> None:
    for name in dp.__all__:
        assert hasattr(dp, name), name


@pytest.mark.parametrize("module", ["assessment", "cooperation", "errors", "graph", "loader",
                                    "model", "partners", "portfolio", "profile",
                                    "report"])
def test_importing_the_package_makes_its_submodules_available(module: str) -> None:
    assert getattr(dp, module).__name__ == f"disaster_protocol.{module}"


def test_errors_share_one_base() -> None:
    assert issubclass(dp.ProtocolError, dp.DisasterProtocolError)
    assert issubclass(dp.ProfileError, dp.DisasterProtocolError)
    assert issubclass(dp.MigrationError, dp.DisasterProtocolError)
    assert issubclass(dp.CrosswalkError, dp.DisasterProtocolError)
    assert issubclass(dp.PartnersError, dp.DisasterProtocolError)


def _exceptions(module: object) -> set[type[BaseException]]:
    return {value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, (dp.DisasterProtocolError, Warning))
            and value.__module__.startswith("disaster_protocol")}


def test_every_error_of_the_package_lives_in_errors_is_exported_and_documented() -> None:
    from disaster_protocol import crosswalk, migration

    from .conftest import ROOT

    family = _exceptions(dp.errors)
    assert {cls.__name__ for cls in family} == {
        "DisasterProtocolError", "ProtocolError", "ProfileError", "MigrationError",
        "CrosswalkError", "PartnersError", "InputWarning", "TranslationWarning"}
    modules = [m for m in vars(dp).values() if isinstance(m, type(dp))]
    for module in [*modules, crosswalk, migration]:
        assert _exceptions(module) <= family, module.__name__  # defined nowhere else
    assert all(cls.__module__ == "disaster_protocol.errors" for cls in family)
    assert all(getattr(dp, cls.__name__) is cls for cls in family)
    errors_md = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    for cls in family:
        assert f"`{cls.__name__}`" in errors_md, cls.__name__


def test_the_old_import_paths_of_the_moved_errors_still_work() -> None:
    from disaster_protocol.crosswalk import CrosswalkError
    from disaster_protocol.migration import MigrationError

    assert (MigrationError, CrosswalkError) == (dp.MigrationError, dp.CrosswalkError)


def test_problem_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        dp.Problem("p.yaml", 1, 1, "", "bad", "invalid-level")  # type: ignore[call-arg]
    problem = dp.Problem(file="p.yaml", message="bad", code="invalid-level")
    assert (problem.line, problem.column, problem.path) == (0, 0, "")
    assert str(problem) == "p.yaml: bad [invalid-level]"


def test_problem_code_is_a_literal_of_every_documented_code() -> None:
    from .conftest import ROOT

    codes = typing.get_args(dp.ProblemCode)
    assert len(codes) == len(set(codes))
    errors_md = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    for code in codes:
        assert f"| `{code}` |" in errors_md, code
    assert {f.name: f.type for f in dataclasses.fields(dp.Problem)}["code"] == "ProblemCode"


def test_lang_is_a_code_of_the_languages_present() -> None:
    from disaster_protocol._i18n import LANGS

    assert dp.Lang is str  # a code; check_lang says which (the languages are data)
    assert LANGS == ("es", "en", "fr", "pt")


def test_errors_pickle_with_their_problems() -> None:
    error = dp.ProfileError([dp.Problem(file="p.yaml", line=2, column=3, message="bad",
                                        code="invalid-level")])
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is dp.ProfileError
    assert clone.problems == error.problems
    assert str(clone) == str(error)


HIDDEN_MODULES: dict[str, str] = {}


def _public_modules() -> set[str]:
    import pkgutil

    return {info.name for info in pkgutil.iter_modules(dp.__path__)
            if not info.name.startswith("_")}


def test_no_public_name_hides_a_module_of_the_same_name() -> None:
    """``dp.compare`` is the function and no module is called ``compare`` (it is
    ``_compare``): a name says what it is."""
    hiding = {name for name in dp.__all__
              if name in _public_modules() and not isinstance(getattr(dp, name), type(dp))}
    assert hiding == set(HIDDEN_MODULES)
    assert callable(dp.compare)
    assert "compare" not in _public_modules()


STDLIB_NAMED = {
    # a public module, kept by name (docs/DECISIONS: public names stay); the standard library's
    # profile is imported by nothing the package imports (the test below runs it)
    "profile",
}


def test_no_module_is_named_like_a_standard_library_or_dependency_module() -> None:
    """Run from the package folder, that folder comes first on ``sys.path``: a ``_csv.py``
    there used to shadow the standard library's (``csv`` imports ``_csv``)."""
    import pkgutil
    import sys

    taken = set(sys.stdlib_module_names) | {"yaml", "_yaml", "networkx", "pydantic",
                                             "pydantic_core", "tqdm", "pandas", "matplotlib",
                                             "dask", "numpy"}
    names = {info.name for info in pkgutil.iter_modules(dp.__path__)}
    assert names & taken == STDLIB_NAMED


def test_the_package_imports_from_its_own_folder() -> None:
    import subprocess
    import sys

    folder = dp.__path__[0]
    code = ("import sys; sys.path.append(sys.argv[1]); import csv, io, json, yaml, tqdm; "
            "import disaster_protocol as dp; print(len(dp.load_protocol().actions) > 0)")
    done = subprocess.run([sys.executable, "-c", code, str(Path(folder).parent)], cwd=folder,
                          capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout) == (0, "True\n"), done.stderr
