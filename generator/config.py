"""Where things are and what the site is called: one typed place, errors name the setting."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The site's languages, in menu order; every text of the format has a field per language.
LANGS = ("en", "zh")


class ConfigError(Exception):
    pass


# The survey: what it is about --------------------------------------------------------------------
# The generator is the same for any field; survey.yml (beside papers/) says what this survey is: its name,
# its subject, the task its results belong to unless they say otherwise, the boards the home page leads with.
# Errors name the file and the setting, as MkDocs' config_options do: "survey.yml: default_task: …".

SURVEY_FILE = "survey.yml"


@dataclass(frozen=True)
class Survey:
    name: dict[str, str]  # language -> the site's name
    description: dict[str, str]  # language -> one or two sentences: what the survey holds
    subject: dict[str, str]  # language -> the field, in running text
    default_task: str  # a slug in papers/tasks.yaml: a result without `task` belongs to it
    main_benchmarks: tuple[str, ...] = ()  # board slugs the home page shows, in order; () = the busiest boards
    texts: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()  # further catalogue texts of this survey
    path: str = SURVEY_FILE  # where it was read, for messages

    def text(self, lang: str, key: str) -> str | None:
        """A text of this survey for a catalogue key (site.name, site.description, site.subject, texts: …)."""
        own = {"site.name": self.name, "site.description": self.description, "site.subject": self.subject}
        if key in own:
            return own[key][lang]
        for k, values in self.texts:
            if k == key:
                return dict(values)[lang]
        return None


def survey_file(papers: Path | None = None) -> Path:
    """The survey.yml beside a papers folder, else the repository's."""
    if papers is not None and (papers.parent / SURVEY_FILE).is_file():
        return papers.parent / SURVEY_FILE
    return ROOT / SURVEY_FILE


def _texts(where: str, value: object) -> dict[str, str]:
    if (
        not isinstance(value, dict)
        or set(value) != set(LANGS)
        or not all(isinstance(v, str) and v.strip() for v in value.values())
    ):
        raise ConfigError(f"{where}: expected a text in every language ({', '.join(LANGS)}), got {value!r}")
    return {lang: value[lang].strip() for lang in LANGS}


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SURVEY_KEYS = ("name", "description", "subject", "default_task", "main_benchmarks", "texts")


def load_survey(path: Path) -> Survey:
    """survey.yml as a Survey; a ConfigError naming the file and the setting otherwise."""
    import yaml

    shown = path.name if path.parent == ROOT else str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(
            f"{shown}: cannot read it ({exc.strerror}); the survey's name, subject and default task go there"
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{shown}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{shown}: expected a mapping of settings ({', '.join(_SURVEY_KEYS)})")
    unknown = sorted(str(k) for k in data if k not in _SURVEY_KEYS)
    if unknown:
        raise ConfigError(f"{shown}: unknown setting {unknown[0]!r} (the settings are: {', '.join(_SURVEY_KEYS)})")
    for key in ("name", "description", "subject", "default_task"):
        if key not in data:
            raise ConfigError(f"{shown}: {key}: required")
    task = data["default_task"]
    if not isinstance(task, str) or not _SLUG.fullmatch(task):
        raise ConfigError(f"{shown}: default_task: expected a task slug (in papers/tasks.yaml), got {task!r}")
    main = data.get("main_benchmarks") or []
    if not isinstance(main, list) or not all(isinstance(b, str) and b for b in main):
        raise ConfigError(
            f"{shown}: main_benchmarks: expected a list of leaderboard slugs (<dataset>-<split>), got {main!r}"
        )
    texts = data.get("texts") or {}
    if not isinstance(texts, dict):
        raise ConfigError(f"{shown}: texts: expected a mapping of catalogue keys to texts, got {texts!r}")
    return Survey(
        name=_texts(f"{shown}: name", data["name"]),
        description=_texts(f"{shown}: description", data["description"]),
        subject=_texts(f"{shown}: subject", data["subject"]),
        default_task=task,
        main_benchmarks=tuple(main),
        texts=tuple((str(k), tuple(_texts(f"{shown}: texts: {k}", v).items())) for k, v in texts.items()),
        path=shown,
    )


def _github_url_from_git(root: Path) -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "config", "--get", "remote.origin.url"], capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.match(r"(?:https://|git@)github\.com[/:]([^/]+)/(.+?)(?:\.git)?$", out)
    return f"https://github.com/{m.group(1)}/{m.group(2)}" if m else None


@dataclass(frozen=True)
class SiteConfig:
    site_url: str  # with a trailing slash; the language prefixes go below it
    repo_url: str | None  # https://github.com/OWNER/REPO, for edit and report links
    branch: str
    papers: Path
    docs: Path  # hand-written pages and assets (docs/en, docs/zh, docs/assets)
    base_config: Path  # mkdocs.yml
    build_dir: Path  # generated tree (never committed)
    site_dir: Path
    survey: Survey
    survey_file: Path  # survey.yml; its folder may hold the survey's own CONTRIBUTING.md and .zh.md

    @staticmethod
    def from_env(
        root: Path = ROOT,
        papers: Path | None = None,
        site_dir: Path | None = None,
        build_dir: Path | None = None,
        survey: Path | None = None,
        site_url: str | None = None,
    ) -> SiteConfig:
        """The configuration from the environment (SITE_URL, REPO_URL); `site_url` given wins over SITE_URL."""
        site_url = (site_url or os.environ.get("SITE_URL", "")).strip() or "http://127.0.0.1:8000/"
        if not re.match(r"https?://[^/\s]+(/[^\s]*)?$", site_url):
            raise ConfigError(f"SITE_URL: expected an http(s) URL, got {site_url!r}")
        if not site_url.endswith("/"):
            site_url += "/"
        repo_url = os.environ.get("REPO_URL", "").strip() or _github_url_from_git(root)
        if repo_url and not re.match(r"https://[^/\s]+/[^/\s]+/[^/\s]+$", repo_url.rstrip("/")):
            raise ConfigError(f"REPO_URL: expected https://HOST/OWNER/REPO, got {repo_url!r}")
        return SiteConfig(
            site_url=site_url,
            repo_url=repo_url.rstrip("/") if repo_url else None,
            branch=os.environ.get("REPO_BRANCH", "").strip() or "main",
            papers=papers or root / "papers",
            docs=root / "docs",
            base_config=root / "mkdocs.yml",
            build_dir=build_dir or root / "build",
            site_dir=site_dir or root / "site",
            survey=load_survey(survey or survey_file(papers or root / "papers")),
            survey_file=survey or survey_file(papers or root / "papers"),
        )
