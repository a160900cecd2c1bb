"""The Linux package, built and used as IT would: PyInstaller bundle + .deb, ``dpkg -i``, the installed
app's self-test as an unprivileged user against the sandbox started from the source tree, ``doctor``,
then ``dpkg -r``.

Runs in the default test run (about two and a half minutes on the 2-core CI machine, most of it
PyInstaller) when its prerequisites are there: Linux with dpkg, root (to install), PyInstaller (the
``build`` extra) and the libraries the package Depends on. Otherwise it is skipped with the reason.
Select it alone with ``pytest -m packaging``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

pwd = pytest.importorskip("pwd")  # POSIX only

REPO = Path(__file__).resolve().parents[2]
TEST_USER = "rdselftest"
PACKAGE = "referral-desktop"

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(900)]


def _depends() -> list[list[str]]:
    """Depends from build/linux/control.in as alternatives: [["libc6"], ["fonts-dejavu-core", ...]]."""
    text = (REPO / "build" / "linux" / "control.in").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("Depends:"))
    groups = []
    for item in line.split(":", 1)[1].split(","):
        groups.append([re.sub(r"\s*\(.*\)", "", alt).strip() for alt in item.split("|")])
    return groups


def _installed(package: str) -> bool:
    result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return result.returncode == 0 and "install ok installed" in result.stdout


def _why_not() -> str | None:
    if not sys.platform.startswith("linux") or shutil.which("dpkg-deb") is None:
        return "needs Linux with dpkg-deb"
    if os.geteuid() != 0:
        return "needs root to install the package"
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        return 'needs PyInstaller: pip install -e ".[build]"'
    missing = [group[0] for group in _depends() if not any(_installed(p) for p in group)]
    if missing:
        return "the package's Depends are not installed: apt-get install -y " + " ".join(missing)
    if _installed(PACKAGE):
        return f"{PACKAGE} is already installed on this machine; not replacing it"
    return None


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    reason = _why_not()
    if reason:
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("installer")
    figures_file = out / "figures.json"
    result = subprocess.run(
        [sys.executable, str(REPO / "build" / "build_installer.py"), "--out", str(out),
         "--measure-startup", "3", "--json", str(figures_file), "--test-build"],
        capture_output=True, text=True, cwd=REPO, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    figures = json.loads(figures_file.read_text())
    print("\n" + result.stdout)
    return figures


def test_package_metadata_and_layout(built):
    deb = built["package"]
    info = subprocess.run(["dpkg-deb", "-f", deb], capture_output=True, text=True, check=True).stdout
    assert f"Package: {PACKAGE}" in info
    assert "libc6 (>= 2.36)" in info  # the build machine's glibc (Debian 12)
    listing = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True, check=True).stdout
    for path in ("./opt/referral-desktop/referral-desktop", "./usr/bin/referral-desktop",
                 "./usr/share/applications/referral-desktop.desktop",
                 "./usr/share/icons/hicolor/scalable/apps/referral-desktop.svg",
                 "./usr/share/icons/hicolor/256x256/apps/referral-desktop.png", "./etc/referral-desktop/",
                 "./opt/referral-desktop/_internal/referral_desktop/_bundled/forms/cwac-marf/1.0.0.json",
                 "./opt/referral-desktop/_internal/referral_desktop/_bundled/resources/contacts.json"):
        assert f" {path}" in listing, path
    # not shipped: the sandbox's server stack, Qt modules the app does not use, tests; nor the GTK theme
    # (its libraries: test_nothing_of_gtk_...), platforms and image formats a desktop app does not use, email-validator's DNS lookups, the invalid example answers and the README's screenshots
    for absent in ("fastapi", "uvicorn", "QtQml", "QtQuick", "libQt6Qml", "translations/", "pytest",
                   "libqgtk3", "libqeglfs", "libqlinuxfb", "libqevdev", "egldeviceintegrations",
                   "libqtiff", "libqwebp", "libqicns", "/_internal/dns/", "forms/examples/invalid-",
                   "resources/screenshots/"):
        assert absent not in listing, absent
    assert "forms/examples/valid-route-a.json" in listing  # the self-test sends it
    # shipped: QtNetwork's network-information plugins, whose signal wakes the sender when the network returns
    assert "/plugins/networkinformation/" in listing
    assert built["bundle_bytes"] < 260 * 1024 * 1024
    assert built["package_bytes"] < 120 * 1024 * 1024


def test_licences_copyright_changelog_md5sums_and_the_maintainer(built, tmp_path):
    deb = built["package"]
    info = subprocess.run(["dpkg-deb", "-f", deb], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Depends:.*\btzdata\b", info, re.M)  # the bundle reads the system's zone data
    # the one identity (build/maintainer.py); a test build may carry the placeholder, and says so below
    assert re.search(rf"^Maintainer: {re.escape(built['maintainer'])}$", info, re.M)
    subprocess.run(["dpkg-deb", "-R", deb, str(tmp_path / "x")], check=True)
    root = tmp_path / "x"
    copyright_text = (root / "usr/share/doc/referral-desktop/copyright").read_text(encoding="utf-8")
    assert copyright_text.startswith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/")
    for component in ("PySide6_Essentials", "sqlcipher3", "requests", "python-stdnum"):
        assert f"licenses/{component}/*" in copyright_text, component
    import gzip

    changelog = gzip.decompress((root / "usr/share/doc/referral-desktop/changelog.gz").read_bytes()).decode()
    assert f" -- {built['maintainer']}  " in changelog
    assert "  * Test build (--test-build): not for publishing." in changelog
    licences = root / "opt/referral-desktop/licenses"
    assert (root / "opt/referral-desktop/LICENSE").is_file()
    assert "LGPL" in (root / "opt/referral-desktop/THIRD-PARTY-NOTICES.md").read_text(encoding="utf-8")
    assert (licences / "PySide6_Essentials" / "LGPL-3.0.txt").is_file()
    assert all(any(folder.iterdir()) for folder in licences.iterdir())
    md5sums = (root / "DEBIAN/md5sums").read_text(encoding="utf-8").splitlines()
    listed = {line.split("  ", 1)[1] for line in md5sums}
    shipped = {p.relative_to(root).as_posix() for p in root.rglob("*")
               if p.is_file() and not p.is_symlink() and not p.relative_to(root).as_posix().startswith("DEBIAN/")}
    assert listed == shipped


def test_lintian_finds_nothing_but_the_reasoned_overrides(built):
    lintian = shutil.which("lintian")
    if lintian is None:
        pytest.skip("needs lintian (apt-get install lintian)")
    overrides = (REPO / "build" / "linux" / "lintian-overrides").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(overrides):
        if line.strip() and not line.startswith("#"):  # an override: a comment heads its block
            above = number - 1
            while above >= 0 and overrides[above].strip() and not overrides[above].startswith("#"):
                above -= 1
            assert above >= 0 and overrides[above].startswith("#"), f"override without a reason above it: {line}"
    # -I: informational tags too, among them unused-override (an override that no longer matches)
    result = subprocess.run([lintian, "-I", "--tag-display-limit", "0", "--fail-on", "none", built["package"]],
                            capture_output=True, text=True, timeout=900)
    tags = [line for line in result.stdout.splitlines()
            if re.match(r"^[EWX]: ", line) or "unused-override" in line or "mismatched-override" in line]
    assert not tags, "\n".join(tags)


def test_desktop_entry_is_valid():
    validate = shutil.which("desktop-file-validate")
    if validate is None:
        pytest.skip("needs desktop-file-validate (apt-get install desktop-file-utils)")
    result = subprocess.run([validate, str(REPO / "build" / "linux" / "referral-desktop.desktop")],
                            capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_frozen_start_up_within_1_2_times_unfrozen(built):
    startup = built["startup"]
    assert startup["ratio"] <= 1.2, startup


def test_every_library_the_bundle_needs_comes_from_it_or_from_depends(built):
    readelf = shutil.which("readelf")
    if readelf is None:
        pytest.skip("needs readelf (binutils)")
    bundle = Path(built["bundle_dir"])
    names_in_bundle = {p.name for p in bundle.rglob("*") if p.is_file()}
    providers: set[str] = set()
    for group in _depends():
        for package in group:
            if _installed(package):
                listing = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True).stdout
                providers.update(Path(line).name for line in listing.splitlines())
    glibc = {"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libresolv.so.2",
             "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1", "libutil.so.1"}
    unexplained = {}
    for path in bundle.rglob("*"):
        if not path.is_file() or not (path.suffix == ".so" or ".so." in path.name or path.name == "referral-desktop"):
            continue
        dynamic = subprocess.run([readelf, "-d", str(path)], capture_output=True, text=True).stdout
        for needed in re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic):
            if needed not in names_in_bundle and needed not in glibc and needed not in providers:
                unexplained.setdefault(needed, path.relative_to(bundle).as_posix())
    assert not unexplained, f"libraries neither bundled nor in Depends: {unexplained}"


# GTK and what only GTK brings: Qt's GTK 3 platform theme loads them where the build machine has GTK, and
# PyInstaller then collects them. The app draws with Qt's Fusion style, lays text out with Qt's own
# HarfBuzz and speaks AT-SPI through Qt's D-Bus bridge, so none of them is used; shipped, they would make
# the bundle depend on what happened to be installed on the build machine (issue 15: 12 libraries, 11 MB).
GTK_STACK = {
    "libqgtk3": "Qt's GTK 3 platform theme, the plugin that pulls in the rest",
    "libgtk-3": "GTK 3",
    "libgdk-3": "GDK, GTK's windowing layer",
    "libgdk_pixbuf": "GDK's image loader",
    "libatk-1.0": "ATK, GTK's accessibility toolkit",
    "libatk-bridge": "ATK's bridge to AT-SPI",
    "libatspi": "the AT-SPI client library of ATK's bridge",
    "libpango": "Pango (pango, pangocairo, pangoft2), GTK's text layout",
    "libcairo": "cairo and cairo-gobject, GTK's drawing",
    "libpixman": "cairo's rasteriser",
    "libepoxy": "GTK's OpenGL loader",
    "libthai": "Pango's Thai word breaking",
    "libdatrie": "libthai's dictionary",
}


def _gtk_and_unneeded_libraries(bundle: Path) -> list[str]:
    """What the bundle should not carry: anything of GTK_STACK, and any library PyInstaller pulled in
    (those directly in _internal/) that nothing shipped needs. The second catches what a name list
    cannot: GDK's X extension libraries (libXi, libXrandr, ...), or whatever another build machine's
    GTK links. Needed means in the transitive ldd closure, resolved as the frozen app resolves it
    (_internal/ first), of the executable, the Python runtime, the extension modules and the Qt plugins."""
    internal = bundle / "_internal"
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    found = [f"{p.relative_to(bundle).as_posix()}: {why}"
             for p in files for prefix, why in GTK_STACK.items() if p.name.startswith(prefix)]
    libraries = [p for p in files if p.suffix == ".so" or ".so." in p.name]
    pulled_in = [p for p in libraries if p.parent == internal and not p.name.startswith("libpython")
                 and ".cpython-" not in p.name and not p.name.endswith(".abi3.so")]
    roots = [bundle / "referral-desktop", *(p for p in libraries if p not in pulled_in)]
    needed: set[str] = set()
    env = {"LD_LIBRARY_PATH": str(internal), "PATH": "/usr/bin:/bin"}
    for root in roots:
        ldd = subprocess.run(["ldd", str(root)], capture_output=True, text=True, env=env).stdout
        needed.update(Path(m).name for m in re.findall(r"^\s*\S+\s+=>\s+(\S+)", ldd, re.M))
    found += [f"{p.name}: nothing shipped needs it" for p in pulled_in if p.name not in needed]
    return sorted(found)


def test_nothing_of_gtk_nor_any_library_nothing_shipped_needs(built):
    """The exclusion holds where it matters: on a build machine that has GTK. .ci/run installs libgtk-3-0
    so that on CI it does; elsewhere the check still runs but proves less, and says so."""
    if shutil.which("ldd") is None:
        pytest.skip("needs ldd (libc-bin)")
    has_gtk = _installed("libgtk-3-0")
    if os.environ.get("CI", "").lower() == "true":
        assert has_gtk, "CI builds on a machine with GTK (.ci/run installs libgtk-3-0), or this proves nothing"
    elif not has_gtk:
        print("\nlibgtk-3-0 is not installed here: the GTK exclusion is checked on a machine without GTK")
    problems = _gtk_and_unneeded_libraries(Path(built["bundle_dir"]))
    assert not problems, "\n".join(problems)


def test_no_process_pools_nor_their_start_up_hook_in_the_bundle(built):
    """The app runs threads only. Bundled, multiprocessing brought PyInstaller's start-up hook for it,
    which imported multiprocessing, pickle, socket and subprocess before the first window (~8 ms of every
    start, issue 13); the spec leaves it out, and this keeps it out."""
    from PyInstaller.archive.readers import CArchiveReader

    bundle = Path(built["bundle_dir"])
    package = CArchiveReader(str(bundle / PACKAGE))
    hooks = [name for name in package.toc if name.startswith("pyi_rth_")]
    archive = package.open_embedded_archive(next(name for name in package.toc if name.endswith(".pyz")))
    assert "pyi_rth_pyside6" in hooks, hooks  # the reading works
    assert "referral_desktop.ui.app" in archive.toc
    assert "pyi_rth_multiprocessing" not in hooks, hooks
    assert not [name for name in archive.toc if name.startswith("multiprocessing")]


def _ensure_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(TEST_USER)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", TEST_USER], check=True)
        return pwd.getpwnam(TEST_USER)


def _as_user(user: pwd.struct_passwd, *command: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"HOME": user.pw_dir, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(["runuser", "-u", user.pw_name, "--", "env", "-i",
                           *[f"{k}={v}" for k, v in env.items()], *command],
                          capture_output=True, text=True, input=stdin, timeout=300)


def test_install_self_test_as_user_doctor_and_remove(built, tmp_path):
    from referral_desktop.sandbox.launcher import running_sandbox

    user = _ensure_user()
    # what the unprivileged user may read (pytest's own folders are root's only): CA, token, policy
    shared = Path(tempfile.mkdtemp(prefix="referral-desktop-packaging-"))
    shared.chmod(0o755)
    install = subprocess.run(["dpkg", "-i", built["package"]], capture_output=True, text=True)
    try:
        assert install.returncode == 0, install.stdout + install.stderr
        assert Path("/usr/bin/referral-desktop").exists()
        assert Path("/etc/referral-desktop").is_dir()
        version = _as_user(user, "referral-desktop", "--version")
        assert version.returncode == 0 and "0." in version.stdout, version.stderr

        with running_sandbox(tmp_path / "iart", extra_args=["--test-deployment", "--auto-acknowledge", "1"]) as sandbox:
            ca = shutil.copy(sandbox.ca_file, shared / "ca.pem")
            token = shutil.copy(sandbox.client_token_file, shared / "token")
            for path in (ca, token):
                Path(path).chmod(0o644)
            self_test = _as_user(user, "referral-desktop", "self-test", "--sandbox-url", sandbox.url,
                                 "--ca", str(ca), "--token-file", str(token))
            print("\n$ referral-desktop self-test ...\n" + self_test.stdout)
            assert self_test.returncode == 0, self_test.stdout + self_test.stderr
            for step in ("resources", "store", "window", "send", "acknowledged"):
                assert re.search(rf"^ok\s+{step}\b", self_test.stdout, re.M), step
            assert "(frozen)" in self_test.stdout

            policy = shared / "policy.toml"
            policy.write_text(f'api_base_url = "{sandbox.url}"\nca_bundle = "{ca}"\n'
                              f'bearer_token_file = "{token}"\ntest_deployment = true\n', encoding="utf-8")
            policy.chmod(0o644)
            doctor = _as_user(user, "referral-desktop", "--policy", str(policy), "doctor")
            print("$ referral-desktop --policy ... doctor\n" + doctor.stdout)
            assert doctor.returncode == 0, doctor.stdout + doctor.stderr
            assert sandbox.client_token not in doctor.stdout + self_test.stdout

            # the frozen app has no sandbox in it, and does not offer its commands
            no_sandbox = _as_user(user, "referral-desktop", "sandbox", "--port", "0")
            assert no_sandbox.returncode == 2 and "invalid choice: 'sandbox'" in no_sandbox.stderr
            listed = _as_user(user, "referral-desktop", "--help").stdout
            assert "self-test" in listed and not re.search(r"^    sandbox ", listed, re.M), listed

            # what dpkg installed is what the package's md5sums say
            verify = subprocess.run(["dpkg", "--verify", PACKAGE], capture_output=True, text=True)
            assert verify.returncode == 0 and not verify.stdout.strip(), verify.stdout + verify.stderr

        # a user's store stays when the package is removed
        profile = Path(user.pw_dir) / ".local" / "share" / "ReferralDesktop"
        existed = profile.exists()
        marker = profile / "store.db"
        if not existed:  # made by the user, as the app would, so that the folders stay theirs
            made = _as_user(user, "sh", "-c", f'mkdir -p "{profile}" && printf x > "{marker}"')
            assert made.returncode == 0, made.stderr
    finally:
        remove = subprocess.run(["dpkg", "-r", PACKAGE], capture_output=True, text=True)
        shutil.rmtree(shared, ignore_errors=True)
    assert remove.returncode == 0, remove.stdout + remove.stderr
    assert not Path("/opt/referral-desktop").exists()
    assert not Path("/usr/bin/referral-desktop").exists()
    assert marker.exists()
    if not existed:
        _as_user(user, "rm", "-rf", str(profile))


def _data_tar(deb: Path, into: Path) -> bytes:
    """The .deb's data archive, uncompressed (ar member data.tar.zst), as bytes."""
    into.mkdir()
    subprocess.run(["ar", "x", str(deb)], cwd=into, check=True)
    member = next(into.glob("data.tar.*"))
    if member.suffix == ".zst":
        return subprocess.run(["zstd", "-dc", str(member)], capture_output=True, check=True).stdout
    return subprocess.run(["xz", "-dc", str(member)], capture_output=True, check=True).stdout


@pytest.mark.slow
def test_two_builds_of_one_commit_give_the_same_package(built, tmp_path):
    """A second build, from scratch, of the same sources: the same file list and the same bytes of the
    .deb's data (SOURCE_DATE_EPOCH for every time stamp, nothing taken from the build machine by chance)."""
    if shutil.which("ar") is None or shutil.which("zstd") is None:
        pytest.skip("needs ar (binutils) and zstd")
    out = tmp_path / "second"
    result = subprocess.run([sys.executable, str(REPO / "build" / "build_installer.py"), "--out", str(out),
                             "--json", str(tmp_path / "second.json"), "--test-build"],
                            capture_output=True, text=True, cwd=REPO, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    second = json.loads((tmp_path / "second.json").read_text())["package"]

    def listing(deb: str) -> list[str]:
        return subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True, check=True).stdout.splitlines()

    assert listing(built["package"]) == listing(second)
    first_data, second_data = _data_tar(Path(built["package"]), tmp_path / "a"), _data_tar(Path(second), tmp_path / "b")
    if first_data != second_data:
        import tarfile
        from io import BytesIO

        def digests(data: bytes) -> dict[str, bytes]:
            with tarfile.open(fileobj=BytesIO(data)) as tar:
                return {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}

        a, b = digests(first_data), digests(second_data)
        differing = sorted(name for name in a if a[name] != b.get(name))
        pytest.fail(f"{len(differing)} file(s) differ between two builds: {differing[:20]}")
