#!/bin/sh
# /usr/bin/referral-desktop: starts the frozen app installed under /opt/referral-desktop.
exec /opt/referral-desktop/referral-desktop "$@"
