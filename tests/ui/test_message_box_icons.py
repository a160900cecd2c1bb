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


def _export_fails(window) -> None:
    """An export started from the window, its unencrypted-copy warning put away, and its failure told."""
    window.export_referral("no-such-referral")
    window.export_flow.warning.close()
    window.export_flow.failed("The referral could not be read. Try again.")


def test_the_windows_own_messages_grow_their_icons_with_the_text(qtbot, context):
    """"Not ready to send", "The referral could not be started." and an export that failed were Qt's static
    boxes: their sign stayed 48 px at 200 % text."""
    from PySide6.QtCore import QTimer

    from referral_desktop.sync.queueing import QueueRefused
    from referral_desktop.ui.main_window import MainWindow

    seen: list[tuple[str, int, QMessageBox.Icon]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        sign = box.findChild(QLabel, "qt_msgboxex_icon_label").pixmap().deviceIndependentSize().width()
        seen.append((box.windowTitle(), round(sign), box.icon()))
        box.button(QMessageBox.StandardButton.Ok).click()

    with app_text(2.0):
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        for show in (lambda: window._queue_failed(QueueRefused("This referral has answers to fix.")),
                     lambda: window._problem("The referral could not be started.", RuntimeError("x")),
                     lambda: _export_fails(window)):
            QTimer.singleShot(0, answer)
            show()
    sign = _style_sizes()[0]
    assert [(title, size) for title, size, _icon in seen] == [
        ("Not ready to send", 2 * sign), ("Referral Desktop", 2 * sign), ("Export", 2 * sign)], seen
    assert [icon for _t, _s, icon in seen] == [QMessageBox.Icon.Information, QMessageBox.Icon.Warning,
                                               QMessageBox.Icon.Warning]


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_the_forgotten_passphrase_dialogs_cancel_cross_grows_with_the_text(qtbot, context, scale):
    """Its Cancel is a button box's, not a message box's: its cross stayed 16 px beside 200 % letters (seen in
    a screenshot), smaller than the same cross in every other confirmation."""
    from referral_desktop.ui.screens.forgotten_passphrase import ForgottenPassphraseDialog

    _sign, button = _style_sizes()
    with app_text(scale):
        dialog = ForgottenPassphraseDialog(context)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        # (the cross is drawn where the desktop's style gives dialog buttons icons; its size is set anyway)
        assert dialog.cancel_button.iconSize() == QSize(round(button * scale), round(button * scale))
