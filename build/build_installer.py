"""Build the frozen app and the installer for the platform this runs on — one command for IT and CI.

    python build/build_installer.py                      # bundle + .deb / .msi / .pkg for this platform
    python build/build_installer.py --bundle-only        # just the PyInstaller one-folder build
    python build/build_installer.py --skip-bundle        # re-pack the last bundle
    python build/build_installer.py --measure-startup 5  # also time frozen vs unfrozen start-up
    python build/build_installer.py --test-build         # a build to try, not to publish (see below)

A build may be published unless it says ``--test-build``, so it refuses a placeholder Maintainer
(build/maintainer.py: set ``DEBEMAIL`` and ``DEBFULLNAME``); a test build's package says in its changelog
that it is not for publishing.

Prerequisites (README "Deploying"): the project installed with its ``build`` extra
(``pip install -e ".[build]"``) in the Python that runs this; on Linux ``dpkg-deb`` (Debian/Ubuntu);
on Windows the WiX v4 CLI (``dotnet tool install --global wix --version 4.*``); on macOS Xcode's
command-line tools (``pkgbuild``, ``productbuild``).

Everything is written under ``--out`` (default ``build/out``, ignored by git); build/ holds sources
only. Prints one summary line per product with its size and build time, and (``--json FILE``) writes
the same figures as JSON for CI.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BUILD = Path(__file__).resolve().parent
ROOT = BUILD.parent
SPEC = BUILD / "referral-desktop.spec"
APP = "referral-desktop"
sys.path.insert(0, str(BUILD))
from maintainer import maintainer, refusal  # noqa: E402 - build/ is not a package


def source_date_epoch() -> int:
    """The time every file in the build is stamped with, so that two builds of one commit are the same
    bytes: ``$SOURCE_DATE_EPOCH`` if set (reproducible-builds.org), else the commit's time."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    result = subprocess.run(["git", "log", "-1", "--format=%ct"], capture_output=True, text=True, cwd=ROOT)
    return int(result.stdout.strip()) if result.returncode == 0 and result.stdout.strip() else 0


def _reproducible_env() -> dict[str, str]:
    return dict(os.environ, SOURCE_DATE_EPOCH=str(source_date_epoch()), PYTHONHASHSEED="0", LC_ALL="C.UTF-8",
                TZ="UTC")


def version() -> str:
    text = (ROOT / "referral_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'__version__\s*=\s*"([^"]+)"', text)
    if not match:
        raise SystemExit("cannot find __version__ in referral_desktop/__init__.py")
    return match.group(1)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


# ------------------------------------------------------------------------------------------ bundle


def build_bundle(out: Path) -> tuple[Path, float]:
    """PyInstaller one-folder build from the spec; returns the folder (or .app on macOS) and seconds."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit('PyInstaller is not installed: pip install -e ".[build]"') from None
    dist, work = out / "dist", out / "work"
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
        check=True, cwd=ROOT, env=_reproducible_env(),
    )
    bundle = dist / APP
    sys.path.insert(0, str(BUILD))
    from bundle_licences import write_licences

    write_licences(bundle)  # LICENSE, THIRD-PARTY-NOTICES.md, licenses/<distribution>/ for every installer
    app = dist / "Referral Desktop.app"
    if app.is_dir():
        write_licences(app / "Contents" / "Resources")
    return bundle, time.monotonic() - started


def bundle_executable(bundle: Path) -> Path:
    return bundle / (APP + ".exe" if sys.platform == "win32" else APP)


# ------------------------------------------------------------------------------------------- Linux


def _copy_tree(source: Path, target: Path) -> None:
    shutil.copytree(source, target, symlinks=True)
    for path in [target, *target.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        else:
            # shared libraries are mapped, not run: 0644 (lintian: shared-library-is-executable)
            library = path.suffix == ".so" or ".so." in path.name
            executable = path.stat().st_mode & 0o111 and not library
            path.chmod(0o755 if executable else 0o644)


def build_deb(bundle: Path, out: Path, test_build: bool) -> tuple[Path, float]:
    """A .deb (zstd): /opt/referral-desktop, /usr/bin launcher, desktop entry, icons, policy folder."""
    started = time.monotonic()
    linux = BUILD / "linux"
    stage = out / "deb-root"
    shutil.rmtree(stage, ignore_errors=True)
    _copy_tree(bundle, stage / "opt" / APP)
    (stage / "usr" / "bin").mkdir(parents=True)
    shutil.copy(linux / "launcher.sh", stage / "usr" / "bin" / APP)
    (stage / "usr" / "bin" / APP).chmod(0o755)
    apps = stage / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    shutil.copy(linux / f"{APP}.desktop", apps / f"{APP}.desktop")
    icons = ROOT / "resources" / "icons"
    for size_dir, name in (("scalable", f"{APP}.svg"), ("256x256", f"{APP}.png"), ("48x48", f"{APP}-48.png")):
        target = stage / "usr" / "share" / "icons" / "hicolor" / size_dir / "apps"
        target.mkdir(parents=True)
        shutil.copy(icons / name, target / (f"{APP}.svg" if name.endswith(".svg") else f"{APP}.png"))
    docs = stage / "usr" / "share" / "doc" / APP
    (docs / "examples").mkdir(parents=True)
    for example in sorted((ROOT / "resources" / "policy-examples").glob("*.toml")):
        shutil.copy(example, docs / "examples" / example.name)
    _debian_docs(stage, docs, test_build)
    (stage / "etc" / APP).mkdir(parents=True)  # the machine-wide policy location (file written by IT)
    for path in stage.rglob("*"):
        if not path.is_symlink() and path.is_file() and not (path.stat().st_mode & 0o111):
            path.chmod(0o644)
        elif path.is_dir():
            path.chmod(0o755)
    debian = stage / "DEBIAN"
    debian.mkdir()
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()
    control = (linux / "control.in").read_text(encoding="utf-8")
    control = (control.replace("@VERSION@", version()).replace("@ARCH@", arch)
               .replace("@MAINTAINER@", maintainer())
               .replace("@INSTALLED_SIZE@", str(folder_size(stage) // 1024)))
    (debian / "control").write_text(control, encoding="utf-8")
    for script in ("postinst", "postrm"):
        shutil.copy(linux / script, debian / script)
        (debian / script).chmod(0o755)
    _write_md5sums(stage)
    epoch = source_date_epoch()
    for path in sorted(stage.rglob("*"), reverse=True):  # every mtime the same: two builds, same bytes
        os.utime(path, (epoch, epoch), follow_symlinks=False)
    package = out / f"{APP}_{version()}_{arch}.deb"
    package.unlink(missing_ok=True)
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zzstd", "--build", str(stage), str(package)],
                   check=True, stdout=subprocess.DEVNULL, env=_reproducible_env())
    return package, time.monotonic() - started


def _debian_docs(stage: Path, docs: Path, test_build: bool) -> None:
    """copyright (machine-readable), changelog.gz, the man page and lintian's reasoned overrides."""
    import gzip

    sys.path.insert(0, str(BUILD))
    from bundle_licences import bundled_components, debian_copyright

    linux = BUILD / "linux"
    (docs / "copyright").write_text(debian_copyright(bundled_components(), f"/opt/{APP}"), encoding="utf-8")
    stamp = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(source_date_epoch()))
    changelog = changelog_text(test_build, stamp)
    for name, text in (("changelog.gz", changelog),):
        with open(docs / name, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                                            compresslevel=9) as packed:
            packed.write(text.encode("utf-8"))
    man = stage / "usr" / "share" / "man" / "man1"
    man.mkdir(parents=True)
    with open(man / f"{APP}.1.gz", "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                                               compresslevel=9) as packed:
        packed.write((linux / f"{APP}.1").read_bytes())
    overrides = stage / "usr" / "share" / "lintian" / "overrides"
    overrides.mkdir(parents=True)
    shutil.copy(linux / "lintian-overrides", overrides / APP)


def changelog_text(test_build: bool, stamp: str) -> str:
    """The Debian changelog: one entry for this version, signed by the maintainer; a test build's entry
    says it is not for publishing."""
    text = (BUILD / "linux" / "changelog.in").read_text(encoding="utf-8")
    mark = "  * Test build (--test-build): not for publishing.\n" if test_build else ""
    return (text.replace("@TEST_BUILD@\n", mark).replace("@VERSION@", version())
            .replace("@MAINTAINER@", maintainer()).replace("@DATE@", stamp))


def _write_md5sums(stage: Path) -> None:
    import hashlib

    lines = []
    for path in sorted(stage.rglob("*")):
        relative = path.relative_to(stage).as_posix()
        if path.is_file() and not path.is_symlink() and not relative.startswith(("DEBIAN/", "etc/")):
            lines.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {relative}\n")
    (stage / "DEBIAN" / "md5sums").write_text("".join(lines), encoding="utf-8")


# ----------------------------------------------------------------------------------------- Windows


def _wix_id(prefix: str, relative: str) -> str:
    return prefix + uuid.uuid5(uuid.NAMESPACE_URL, relative.replace("\\", "/")).hex[:24]


def harvest_wxs(bundle: Path, target: Path) -> Path:
    """A WiX fragment listing every file of the bundle (WiX v4 has no built-in folder harvesting):
    directories under INSTALLFOLDER and one component per file in ComponentGroup AppFiles."""
    from xml.sax.saxutils import quoteattr

    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">', "  <Fragment>"]

    def directory(folder: Path, indent: str) -> None:
        for child in sorted(p for p in folder.iterdir() if p.is_dir()):
            rel = child.relative_to(bundle).as_posix()
            lines.append(f"{indent}<Directory Id={quoteattr(_wix_id('d', rel))} Name={quoteattr(child.name)}>")
            directory(child, indent + "  ")
            lines.append(f"{indent}</Directory>")

    lines.append('    <DirectoryRef Id="INSTALLFOLDER">')
    directory(bundle, "      ")
    lines.append("    </DirectoryRef>")
    lines.append('    <ComponentGroup Id="AppFiles">')
    for file in sorted(p for p in bundle.rglob("*") if p.is_file()):
        rel = file.relative_to(bundle).as_posix()
        parent = file.parent.relative_to(bundle).as_posix()
        dir_id = "INSTALLFOLDER" if parent == "." else _wix_id("d", parent)
        lines.append(f"      <Component Id={quoteattr(_wix_id('c', rel))} Directory={quoteattr(dir_id)} Bitness=\"always64\">")
        lines.append(f"        <File Id={quoteattr(_wix_id('f', rel))} Source={quoteattr(str(file))} KeyPath=\"yes\" />")
        lines.append("      </Component>")
    lines += ["    </ComponentGroup>", "  </Fragment>", "</Wix>"]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def build_msi(bundle: Path, out: Path) -> tuple[Path, float]:
    started = time.monotonic()
    wix = shutil.which("wix")
    if wix is None:
        raise SystemExit("The WiX v4 CLI is not on PATH: dotnet tool install --global wix --version 4.0.5 "
                         "and wix extension add --global WixToolset.Util.wixext/4.0.5")
    files = harvest_wxs(bundle, out / "msi" / "bundle-files.wxs")
    package = out / f"{APP}-{version()}-x64.msi"
    subprocess.run(
        [wix, "build", "-arch", "x64", "-ext", "WixToolset.Util.wixext", "-o", str(package),
         "-d", f"Version={version()}", "-d", f"IconFile={ROOT / 'resources' / 'icons' / (APP + '.ico')}",
         str(BUILD / "windows" / f"{APP}.wxs"), str(files)],
        check=True,
    )
    return package, time.monotonic() - started


# ------------------------------------------------------------------------------------------- macOS


def build_pkg(out: Path) -> tuple[Path, float]:
    started = time.monotonic()
    app = out / "dist" / "Referral Desktop.app"
    package = out / f"{APP}-{version()}.pkg"
    subprocess.run(["bash", str(BUILD / "macos" / "build_pkg.sh"), str(app), version(), str(package)], check=True)
    return package, time.monotonic() - started


# --------------------------------------------------------------------------------------- start-up


def _time_command(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    took = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"start-up run failed ({result.returncode}): {' '.join(command)}\n{result.stdout}{result.stderr}")
    return took


def measure_startup(executable: Path, runs: int) -> dict[str, float]:
    """Median wall time of ``self-test --startup-only`` (process start to main window shown, then exit),
    frozen and unfrozen, interleaved in the same run so that both see the same machine load."""
    with tempfile.TemporaryDirectory() as logs:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", REFERRAL_DESKTOP_LOG_DIR=logs)
        frozen_cmd = [str(executable), "self-test", "--startup-only"]
        source_cmd = [sys.executable, "-m", "referral_desktop", "self-test", "--startup-only"]
        _time_command(frozen_cmd, env)  # warm the file cache for both
        _time_command(source_cmd, env)
        frozen, source = [], []
        for _ in range(runs):
            frozen.append(_time_command(frozen_cmd, env))
            source.append(_time_command(source_cmd, env))
    result = {"frozen_s": statistics.median(frozen), "unfrozen_s": statistics.median(source)}
    result["ratio"] = result["frozen_s"] / result["unfrozen_s"]
    return result


# -------------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=BUILD / "out", help="output folder (default build/out)")
    parser.add_argument("--bundle-only", action="store_true", help="stop after the PyInstaller bundle")
    parser.add_argument("--skip-bundle", action="store_true", help="reuse the bundle already in OUT/dist")
    parser.add_argument("--measure-startup", type=int, metavar="RUNS", default=0,
                        help="time frozen vs unfrozen start-up, RUNS runs each (median)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--test-build", action="store_true",
                        help="a build to try, not to publish: allows a placeholder Maintainer and says so")
    args = parser.parse_args(argv)
    problem = refusal(maintainer())
    if problem and not args.test_build:
        print(problem, file=sys.stderr)
        return 2
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    figures: dict[str, object] = {"version": version(), "platform": platform.platform(terse=True),
                                  "maintainer": maintainer(), "test_build": args.test_build}
    if sys.platform.startswith("linux"):
        figures["glibc"] = platform.libc_ver()[1]

    bundle = out / "dist" / APP
    if not args.skip_bundle:
        bundle, seconds = build_bundle(out)
        figures["bundle_build_s"] = round(seconds, 1)
    if not bundle_executable(bundle).is_file():
        raise SystemExit(f"no bundle at {bundle}: run without --skip-bundle")
    figures["bundle_dir"] = str(bundle)
    figures["bundle_bytes"] = folder_size(bundle)
    print(f"bundle   {bundle}  {mb(figures['bundle_bytes'])}"
          + (f"  built in {figures['bundle_build_s']} s" if "bundle_build_s" in figures else ""))

    if not args.bundle_only:
        if sys.platform.startswith("linux"):
            package, seconds = build_deb(bundle, out, args.test_build)
        elif sys.platform == "win32":
            package, seconds = build_msi(bundle, out)
        elif sys.platform == "darwin":
            package, seconds = build_pkg(out)
        else:
            raise SystemExit(f"no installer for {sys.platform}")
        figures.update(package=str(package), package_bytes=package.stat().st_size, package_build_s=round(seconds, 1))
        print(f"package  {package}  {mb(package.stat().st_size)}  packed in {seconds:.1f} s")

    if args.measure_startup:
        startup = measure_startup(bundle_executable(bundle), args.measure_startup)
        figures["startup"] = startup
        print(f"start-up frozen {startup['frozen_s']:.2f} s, unfrozen {startup['unfrozen_s']:.2f} s "
              f"(ratio {startup['ratio']:.2f}; median of {args.measure_startup})")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
