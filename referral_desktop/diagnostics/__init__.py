"""Checks and reports for IT: ``doctor`` (is this machine ready?), crash reports, start-up timing.

No Qt here: these run in headless commands and on machines without a display. The self-test's GUI part
is ``referral_desktop.ui.self_test``. Nothing in this package prints or writes personal data: checks
report settings' names, host names, counts, durations, permissions and exception *types*.
"""
