"""The referrer profile (who the professional is), used on first run and in settings.

Why: "About you" must be filled in on every referral (no anonymous referrals); keeping it once in the
encrypted profile and pre-filling each new draft saves typing. Keys are the form's referrer field ids,
so pre-filling is a plain copy.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from referral_desktop.ui.widgets.labelled_field import LabelledField, say_errors

FORM_ID = "cwac-marf"  # the form whose "About you" questions these answers fill in

PROFILE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("referrer_name", "Full name", ""),
    ("referrer_role", "Role or job title", "For example, Designated Safeguarding Lead or practice nurse."),
    ("referrer_organisation", "Organisation", "The school, practice or service you work for."),
    ("referrer_address", "Work address", ""),
    ("referrer_postcode", "Postcode", ""),
    ("referrer_telephone", "Telephone", "A number iART can reach you on during working hours."),
    ("referrer_email", "Email address", "Your work email address."),
)
REQUIRED = {"referrer_name", "referrer_role", "referrer_organisation", "referrer_address", "referrer_postcode",
            "referrer_telephone", "referrer_email"}


class ProfileForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.inputs: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.rows: dict[str, LabelledField] = {}
        for field_id, label, hint in PROFILE_FIELDS:
            if field_id == "referrer_address":
                address = QPlainTextEdit()
                address.setTabChangesFocus(True)
                address.setFixedHeight(address.fontMetrics().lineSpacing() * 4 + 12)
                editor: QLineEdit | QPlainTextEdit = address
            else:
                editor = QLineEdit()
            editor.setObjectName(field_id)
            row = LabelledField(label if field_id in REQUIRED else f"{label} (optional)", editor, hint)
            self.inputs[field_id] = editor
            self.rows[field_id] = row
            layout.addWidget(row)

    def values(self) -> dict[str, str]:
        out = {}
        for field_id, editor in self.inputs.items():
            text = editor.toPlainText() if isinstance(editor, QPlainTextEdit) else editor.text()
            out[field_id] = text.strip()
        return out

    def set_values(self, values: dict) -> None:
        for field_id, editor in self.inputs.items():
            text = str(values.get(field_id) or "")
            if isinstance(editor, QPlainTextEdit):
                editor.setPlainText(text)
            else:
                editor.setText(text)

    def check(self) -> bool:
        """Show GOV.UK-style messages next to missing or malformed answers; True when all is well.

        Each answer is checked by the form's own rules for that question (postcode, telephone, email,
        length), so a value the form would refuse is never copied into every new referral."""
        values = self.values()
        found = []
        for field_id, label, _hint in PROFILE_FIELDS:
            value = values[field_id]
            if field_id in REQUIRED and not value:
                message = f"Enter your {label.lower()}"
            else:
                message = _form_problem(field_id, value) if value else ""
            found.append((self.rows[field_id], message))
        # Focus to the first in error, scrolled into view, and every message said: focus was on the button.
        return not say_errors(found)


def _form_problem(field_id: str, value: str) -> str:
    """What the newest MARF says about ``value`` as the answer to its question ``field_id``."""
    from datetime import date

    from referral_desktop.domain.field_checks import CompiledField
    from referral_desktop.domain.form_catalog import latest_form
    from referral_desktop.domain.form_definition import Field

    form = latest_form(FORM_ID)
    field = form.find(field_id)
    if not isinstance(field, Field):  # none, or a repeating group (no profile field is one)
        return ""
    problem = CompiledField.build(form, field).check(
        value, today=date.today(), test_deployment=False, known_attachments=None
    )
    return problem or ""
