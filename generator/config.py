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


def _github_url_from_git(root: Path) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(root), "config", "--get", "remote.origin.url"],
                             capture_output=True, text=True, timeout=5).stdout.strip()
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

    @staticmethod
    def from_env(root: Path = ROOT, papers: Path | None = None, site_dir: Path | None = None,
                 build_dir: Path | None = None) -> SiteConfig:
        site_url = os.environ.get("SITE_URL", "").strip() or "http://127.0.0.1:8000/"
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
        )
