"""The invented demo family answers every form version it is asked for, and by default the current one, so
screenshots, demos, benchmarks and the self-test show a draft without the "newer version" banner."""

from __future__ import annotations

from datetime import date

import pytest

from referral_desktop.bundled_data import forms_dir
from referral_desktop.domain.form_catalog import latest_form, load_form
from referral_desktop.domain.validation import validate
from referral_desktop.ui.editor.demo_answers import current_demo_version, demo_document, full_answers
from referral_desktop.ui.screens.editor_host import EditorHost
from tests.ui.conftest import create_store_now

pytestmark = pytest.mark.gui


def test_the_default_is_the_newest_bundled_form_version():
    newest = latest_form("cwac-marf", root=forms_dir()).version
    assert current_demo_version() == newest
    assert demo_document()["form_version"] == newest
    assert full_answers() == full_answers(newest)


@pytest.mark.parametrize("version", ["1.0.0", "1.1.0"])
def test_each_version_s_family_is_complete_and_valid_on_its_own_form(version):
    document = demo_document(version)
    assert (document["form_id"], document["form_version"]) == ("cwac-marf", version)
    result = validate(load_form("cwac-marf", version), document["answers"], today=date(2026, 11, 24))
    assert result.is_valid, result


def test_every_version_shows_the_same_invented_family():
    def who(answers: dict) -> tuple:
        child, carer = answers["children"][0], answers["carers"][0]
        return (answers["referrer_name"], answers["referrer_organisation"], child["given_names"],
                child["family_name"], child["date_of_birth"], child["child_address"],
                child["nhs_number"].replace(" ", ""), child["upn"], carer["carer_name"])

    assert who(full_answers("1.1.0")) == who(full_answers("1.0.0"))
    assert full_answers("1.1.0")["children"][0]["nhs_number"] == "9434765919"  # published check-digit example


def test_callers_get_a_fresh_copy_each_time():
    first = full_answers()
    first["children"][0]["given_names"] = "Changed"
    assert full_answers()["children"][0]["given_names"] != "Changed"


def test_a_version_without_a_demo_family_is_refused_by_name():
    with pytest.raises(LookupError, match="9.9.9"):
        full_answers("9.9.9")


def test_a_demo_draft_opens_without_the_newer_version_banner(qtbot, context):
    store = create_store_now(context)
    document = demo_document()
    referral = context.runner.run_sync(lambda: store.referrals.create_draft(
        document["form_id"], document["form_version"], document["answers"]))
    host = EditorHost(context)
    qtbot.addWidget(host)
    host.resize(1200, 800)
    host.show()
    host.open(str(referral.id))
    qtbot.waitUntil(lambda: host.editor is not None, timeout=10_000)
    qtbot.wait(50)  # the banner would be shown by a queued event
    assert host.editor.form.version == current_demo_version()
    assert host.banner is None or not host.banner.isVisible()
