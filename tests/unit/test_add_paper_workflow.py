"""The "Add a paper from an issue" workflow (.github/workflows/add-paper.yml): its step that writes the paper
file is run here, as the runner runs it (bash, GITHUB_EVENT_PATH, GITHUB_OUTPUT, RUNNER_TEMP), on an issue
whose text is hostile shell, in a git clone of a fixture corpus. The issue's text must stay data: the file
is written, nothing of the body runs. Its permissions are the least the job needs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import yaml

from helpers import ROOT

from test_new_issue import FORM, GOOD, issue_body

WORKFLOW = ROOT / ".github" / "workflows" / "add-paper.yml"


def _load() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _step(name: str) -> dict:
    job = _load()["jobs"]["pull-request"]
    return next(s for s in job["steps"] if s.get("name") == name)


def test_it_runs_on_labelled_issues_with_the_least_permissions():
    wf = _load()
    triggers = wf.get("on") or wf.get(True)  # YAML 1.1 reads `on` as true
    assert set(triggers) == {"issues"} and set(triggers["issues"]["types"]) == {"opened", "edited", "labeled"}
    job = wf["jobs"]["pull-request"]
    assert "'add-paper'" in job["if"]
    assert job["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    assert wf["permissions"] == {"contents": "read"}
    texts = [s.get("run", "") for s in job["steps"]]
    assert not any("github.event.issue.body" in t or "github.event.issue.title" in t for t in texts)
    assert all("--body-file" in t for t in texts if "gh issue comment" in t or "gh pr create" in t)


def test_the_step_writes_the_file_and_runs_nothing_of_the_issue(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "tests" / "fixtures" / "valid" / "papers", repo / "papers")
    (repo / ".github" / "ISSUE_TEMPLATE").mkdir(parents=True)
    shutil.copy(FORM, repo / ".github" / "ISSUE_TEMPLATE" / "add-paper.yml")
    (repo / ".venv").symlink_to(ROOT / ".venv")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "-C", str(repo), "add", "papers", ".github"], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-qm", "fixture"], check=True)

    pwned = tmp_path / "pwned"
    hostile = f'$(touch {pwned}) `touch {pwned}` "; touch {pwned}; echo "'
    answers = dict(GOOD, notes=f"Notes {hostile}", code="https://github.com/example/tilemix")
    event = tmp_path / "event.json"
    event.write_text(
        json.dumps({"issue": {"number": 7, "title": f"Add paper: {hostile}", "body": issue_body(answers)}}),
        encoding="utf-8",
    )
    output, temp = tmp_path / "output", tmp_path / "temp"
    temp.mkdir()
    env = dict(
        os.environ,
        GITHUB_EVENT_PATH=str(event),
        GITHUB_OUTPUT=str(output),
        RUNNER_TEMP=str(temp),
        NUMBER="7",
        PYTHONPATH=str(ROOT),
    )
    proc = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", _step("Write the paper file from the issue")["run"]],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert not pwned.exists()
    outputs = dict(line.split("=", 1) for line in output.read_text().split())
    assert outputs == {"status": "0", "validate": "0", "written": "yes"}, (temp / "new.txt").read_text()
    assert (temp / "files.txt").read_text().split() == ["papers/2025/tilemix.yaml"]
    written = yaml.safe_load((repo / "papers" / "2025" / "tilemix.yaml").read_text(encoding="utf-8"))
    assert written["notes"] == {"en": f"Notes {hostile}"}  # kept as typed: data, not a command
