#!/usr/bin/env bash
# Build the macOS installer package from the PyInstaller .app (run by build/build_installer.py on macOS).
#
#   build/macos/build_pkg.sh "build/out/dist/Referral Desktop.app" 0.1.0 build/out/referral-desktop-0.1.0.pkg
#
# Installs "Referral Desktop.app" in /Applications, a `referral-desktop` command in /usr/local/bin, and
# the machine-wide policy folder /Library/Application Support/ReferralDesktop (the policy file in it is
# IT's: deploy it with MDM, or run `referral-desktop write-policy ...` after installing).
#
# Signed-ready: set SIGN_IDENTITY to a "Developer ID Installer: ..." identity to sign the product
# archive (and notarise it with `xcrun notarytool submit ... --wait` afterwards); unset, it is unsigned.
set -euo pipefail
app="$1"; version="$2"; output="$3"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/root/Applications"
ditto "$app" "$work/root/Applications/Referral Desktop.app"

pkgbuild \
  --root "$work/root" \
  --identifier org.referraldesktop.app \
  --version "$version" \
  --install-location / \
  --scripts "$here/scripts" \
  --ownership recommended \
  "$work/referral-desktop-component.pkg"

sign=()
if [ -n "${SIGN_IDENTITY:-}" ]; then
  sign=(--sign "$SIGN_IDENTITY")
fi
productbuild \
  --package "$work/referral-desktop-component.pkg" \
  --identifier org.referraldesktop.installer \
  --version "$version" \
  "${sign[@]}" \
  "$output"
echo "built $output"
