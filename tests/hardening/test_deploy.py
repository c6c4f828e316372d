"""Headers and production settings (issue 14, part 6): `manage.py check --deploy` is clean under the production
settings behind the HTTPS proxy; every page carries a Content-Security-Policy without inline scripts or styles
(and no template needs one), a Permissions-Policy, and HSTS in production."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse

REPO = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean_under_the_production_settings(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": str(tmp_path),
        "DATABASE_URL": "postgres://subsidy_app:x@postgres:5432/subsidy",  # not connected to by the checks
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "subsidy.example.gov.cn",
        "CSRF_TRUSTED_ORIGINS": "https://subsidy.example.gov.cn",
        "BEHIND_HTTPS_PROXY": "true",
        "TRUSTED_PROXIES": "172.18.0.1",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "CHAIN_KEY": secrets.token_urlsafe(32),
        "VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy_and_a_permissions_policy(client):
    response = client.get(reverse("core:public"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_https_pages_send_hsts_in_production(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(reverse("core:public"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


# Documents WeasyPrint renders to PDF, never served as pages: no browser, so no Content-Security-Policy, applies.
PDF_ONLY = ("_pdf.html", "pdf_base.html")


def test_no_template_has_an_inline_script_handler_or_style():
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style|javascript:", re.I)
    found = [
        f"{path.relative_to(REPO)}: {match.group(0)}"
        for path in REPO.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and not path.name.endswith(PDF_ONLY)
        for match in inline.finditer(path.read_text())
    ]
    assert found == []
