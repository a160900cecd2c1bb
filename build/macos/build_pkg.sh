#!/usr/bin/env bash
# Build the macOS installer package from the PyInstaller .app (run by build/build_installer.py on macOS).
#
#   build/macos/build_pkg.sh "build/out/dist/Referral Desktop.app" 0.1.0 build/out/referral-desktop-0.1.0.pkg
#
# Installs "Referral Desktop.app" in /Applications, a `referral-desktop` command in /usr/local/bin, and
# the machine-wide policy folder /Library/Application Support/ReferralDesktop (the policy file in it is
# IT's: deploy it with MDM, or run `referral-desktop write-policy ...` after installing).
#
# Signing: with APP_SIGN_IDENTITY ("Developer ID Application: ...") every executable and the app are
# signed with the hardened runtime and a secure timestamp, as notarisation requires; with SIGN_IDENTITY
# ("Developer ID Installer: ...") the product archive is signed. Notarise afterwards with
# `xcrun notarytool submit ... --wait` and `xcrun stapler staple` (the workflow does when its secrets are
# there). Unset, the package is unsigned and this says so.
#
# Runs on macOS's own bash 3.2: an empty array is expanded as ${a[@]+"${a[@]}"}, since "${a[@]}" of an
# empty array is an "unbound variable" error there under set -u.
set -euo pipefail
app="$1"; version="$2"; output="$3"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/root/Applications"
ditto "$app" "$work/root/Applications/Referral Desktop.app"
bundle="$work/root/Applications/Referral Desktop.app"

if [ -n "${APP_SIGN_IDENTITY:-}" ]; then
  # inside out: libraries and helper executables first, then the app itself
  find "$bundle/Contents" -type f \( -name "*.dylib" -o -name "*.so" -o -perm -u+x \) -print0 |
    while IFS= read -r -d "" file; do
      codesign --force --timestamp --options runtime --sign "$APP_SIGN_IDENTITY" "$file"
    done
  codesign --force --timestamp --options runtime --sign "$APP_SIGN_IDENTITY" "$bundle"
  codesign --verify --strict --deep "$bundle"
  echo "signed the app with $APP_SIGN_IDENTITY (hardened runtime)"
else
  echo "APP_SIGN_IDENTITY not set: the app is NOT signed (notarisation would refuse it)"
fi

# A component property list that is not relocatable: the installer puts the app in /Applications even
# when a copy with the same bundle id exists elsewhere, instead of "upgrading" that copy in place.
pkgbuild --analyze --root "$work/root" "$work/component.plist"
plutil -replace BundleIsRelocatable -bool NO "$work/component.plist"

pkgbuild \
  --root "$work/root" \
  --component-plist "$work/component.plist" \
  --identifier org.referraldesktop.app \
  --version "$version" \
  --install-location / \
  --scripts "$here/scripts" \
  --ownership recommended \
  "$work/referral-desktop-component.pkg"

sign=()
if [ -n "${SIGN_IDENTITY:-}" ]; then
  sign=(--sign "$SIGN_IDENTITY" --timestamp)
  echo "signing the package with $SIGN_IDENTITY"
else
  echo "SIGN_IDENTITY not set: the package is NOT signed"
fi
productbuild \
  --package "$work/referral-desktop-component.pkg" \
  --identifier org.referraldesktop.installer \
  --version "$version" \
  ${sign[@]+"${sign[@]}"} \
  "$output"
echo "built $output"
