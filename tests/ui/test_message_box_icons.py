"""A confirmation's icons grow with the text: at 200 % text the warning sign and the Cancel button's cross stayed
their 100 % size (48 and 16 px, the style's) beside letters twice as tall, the only things on screen that did not
double. The real boxes (the unencrypted-copy warning, deleting a draft, deleting old drafts) with the app's style
sheet, at the app's body text and at 150 % and 200 % of it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QStyle

from referral_desktop.ui.export_pdf import confirm_unencrypted
from tests.ui.home_on_laptop import app_text

pytestmark = pytest.mark.gui


def _style_sizes() -> tuple[int, int]:
    style = QApplication.style()
    return (style.pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize),
            style.pixelMetric(QStyle.PixelMetric.PM_ButtonIconSize))


def assert_icons_scaled(box: QMessageBox, scale: float) -> None:
    sign, button = _style_sizes()
    icon = box.findChild(QLabel, "qt_msgboxex_icon_label")
    pixmap = icon.pixmap()
    assert pixmap.deviceIndependentSize().toSize() == QSize(round(sign * scale), round(sign * scale))
    assert icon.width() >= round(sign * scale)  # laid out whole, not cut by the old size
    assert box.icon() == QMessageBox.Icon.Warning  # still a warning to assistive technology
    cancel = box.button(QMessageBox.StandardButton.Cancel)
    assert cancel.iconSize() == QSize(round(button * scale), round(button * scale))


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
def test_the_unencrypted_copy_warning_grows_its_icons_with_the_text(qtbot, scale):
    with app_text(scale):
        box = confirm_unencrypted(None)
        qtbot.addWidget(box)
        box.show()
        qtbot.waitExposed(box)
        assert_icons_scaled(box, scale)


def test_the_icons_keep_their_size_when_the_style_is_redrawn(qtbot):
    """A palette switch redraws the style sheet (theme.refresh_style); Qt's box then puts back its 48 px sign."""
    from referral_desktop.ui.theme import refresh_style

    with app_text(2.0):
        box = confirm_unencrypted(None)
        qtbot.addWidget(box)
        box.show()
        qtbot.waitExposed(box)
        refresh_style(QApplication.instance())
        QApplication.processEvents()
        assert_icons_scaled(box, 2.0)
