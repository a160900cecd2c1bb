"""``referral-desktop sandbox``: run the reference iART server, and move its referrals on.

``sandbox`` alone serves HTTPS (needs the ``sandbox`` extra); the sub-commands ``acknowledge``,
``decide``, ``request-info`` and ``list`` work on the same data folder directly (also while the server
runs), ``public-key`` prints the payload-encryption public JWK for the deployment policy, and ``openapi``
prints, writes or checks the committed OpenAPI document. Nothing here prints a token's value or anything
from a referral's answers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import platformdirs

from referral_desktop.domain.api_contract import Outcome, ReferralStatus


def default_data_dir() -> Path:
    """Where the sandbox keeps its data when ``--data`` is not given."""
    return Path(platformdirs.user_data_dir("ReferralDesktopSandbox", "ReferralDesktop", roaming=False))


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(args.data).expanduser().resolve() if args.data else default_data_dir()


def _add_data_option(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    parser.add_argument(
        "--data",
        metavar="DIR",
        default=argparse.SUPPRESS if suppress else None,
        help="the sandbox's data folder (default: per-user data folder)",
    )


def _positive_float(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sandbox",
        help="run the reference iART API server (HTTPS, loopback) or move its referrals on",
        description="Run the iART sandbox: a real HTTPS server with its own CA, storage and operator "
        "page. Sub-commands act on its data folder.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8443, help="port (0 = any free port; default 8443)")
    _add_data_option(parser, suppress=False)
    parser.add_argument(
        "--ready-file", metavar="FILE",
        help="write a JSON file with url, port, CA and token files once accepting connections",
    )
    token = parser.add_mutually_exclusive_group()
    token.add_argument("--token", help="client bearer token to accept (default: generated, kept in DIR)")
    token.add_argument("--token-file", metavar="FILE", help="read the client bearer token from FILE")
    parser.add_argument("--operator-token-file", metavar="FILE", help="read the operator token from FILE")
    parser.add_argument("--payload-key", metavar="JWK_FILE", help="private JWK to decrypt payloads with")
    parser.add_argument("--faults", metavar="FILE", help="JSON fault configuration to start with")
    parser.add_argument(
        "--auto-acknowledge", type=_positive_float, metavar="SECONDS",
        help="acknowledge each referral this long after it arrives (demos)",
    )
    parser.add_argument(
        "--auto-decide", type=_positive_float, metavar="SECONDS",
        help="decide each acknowledged referral this long after acknowledgement (demos)",
    )
    parser.add_argument(
        "--auto-request-info", type=_positive_float, metavar="SECONDS",
        help="ask for more information about each acknowledged referral this long after "
        "acknowledgement, once (demos: with --auto-decide, deciding waits for the reply)",
    )
    parser.add_argument(
        "--auto-read", type=_positive_float, metavar="SECONDS",
        help="mark each reply read this long after it arrives (demos)",
    )
    parser.add_argument(
        "--auto-outcome", choices=[o.value for o in Outcome], default=Outcome.EARLY_HELP_AND_PREVENTION.value
    )
    parser.add_argument("--max-referral-bytes", type=int, metavar="N")
    parser.add_argument("--max-attachment-bytes", type=int, metavar="N")
    parser.add_argument("--max-chunk-bytes", type=int, metavar="N")
    parser.add_argument(
        "--test-deployment", action="store_true", help="validate as a test deployment does"
    )
    parser.add_argument(
        "--require-client-cert", action="store_true",
        help="mutual TLS: refuse clients without a certificate from the sandbox CA",
    )
    parser.add_argument("--tls-cert", metavar="PEM", help="serve this certificate instead of its own")
    parser.add_argument("--tls-key", metavar="PEM", help="key of --tls-cert")
    parser.add_argument(
        "--form-file", metavar="FILE",
        help="publish this form definition file (exact text, signed; re-read per request) instead of "
        "the newest bundled one, to test clients' form updates",
    )
    parser.add_argument(
        "--exit-with-parent", type=int, metavar="PID",
        help="stop when process PID (the program that started the sandbox) has gone (used by --demo)",
    )
    parser.add_argument(
        "--remove-on-orphan", metavar="DIR",
        help="with --exit-with-parent: delete DIR after stopping because that program has gone",
    )
    parser.add_argument(
        "--header-timeout", type=float, default=10.0, metavar="SECONDS",
        help="close a connection whose request line and headers take longer than this (default 10)",
    )
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    parser.set_defaults(handler=_serve)

    actions = parser.add_subparsers(dest="sandbox_action", metavar="ACTION")

    ack = actions.add_parser("acknowledge", help="acknowledge a referral (by iART reference or UUID)")
    ack.add_argument("reference")
    _add_data_option(ack, suppress=True)
    ack.set_defaults(handler=_acknowledge)

    decide = actions.add_parser("decide", help="record iART's decision on a referral")
    decide.add_argument("reference")
    decide.add_argument("--outcome", required=True, choices=[o.value for o in Outcome])
    _add_data_option(decide, suppress=True)
    decide.set_defaults(handler=_decide)

    info = actions.add_parser("request-info", help="ask the referrer for more information")
    info.add_argument("reference")
    info.add_argument("--message", required=True, help="what is needed (shown to the referrer)")
    _add_data_option(info, suppress=True)
    info.set_defaults(handler=_request_info)

    listing = actions.add_parser("list", help="list the referrals the sandbox holds (no personal data)")
    _add_data_option(listing, suppress=True)
    listing.set_defaults(handler=_list)

    key = actions.add_parser("public-key", help="print the payload-encryption public JWK for the policy")
    _add_data_option(key, suppress=True)
    key.set_defaults(handler=_public_key)

    openapi = actions.add_parser("openapi", help="print, write or check the committed OpenAPI document")
    mode = openapi.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="regenerate resources/api/ from the models")
    mode.add_argument("--check", action="store_true", help="exit 1 when the committed document drifted")
    openapi.set_defaults(handler=_openapi)


def _read_token_file(path: str | None) -> str | None:
    if not path:
        return None
    try:
        value = Path(path).read_text(encoding="utf-8").strip()
    except OSError:
        print("The token file could not be read.", file=sys.stderr)
        raise SystemExit(2) from None
    if not value:
        print("The token file is empty.", file=sys.stderr)
        raise SystemExit(2)
    return value


def _serve(args: argparse.Namespace) -> int:
    try:
        from referral_desktop.sandbox.app import SandboxLimits
        from referral_desktop.sandbox.server import SandboxOptions, run_sandbox
    except ImportError:
        print(
            'The sandbox needs its extra: pip install "referral-desktop[sandbox]".', file=sys.stderr
        )
        return 2
    limits = SandboxLimits()
    for option, attribute in (
        ("max_referral_bytes", "max_referral_bytes"),
        ("max_attachment_bytes", "max_attachment_bytes"),
        ("max_chunk_bytes", "max_upload_chunk_bytes"),
    ):
        value = getattr(args, option)
        if value is not None:
            setattr(limits, attribute, value)
    if bool(args.tls_cert) != bool(args.tls_key):
        print("--tls-cert and --tls-key go together.", file=sys.stderr)
        return 2
    options = SandboxOptions(
        data_dir=_data_dir(args),
        host=args.host,
        port=args.port,
        ready_file=Path(args.ready_file).resolve() if args.ready_file else None,
        client_token=args.token or _read_token_file(args.token_file),
        operator_token=_read_token_file(args.operator_token_file),
        payload_private_jwk=Path(args.payload_key) if args.payload_key else None,
        faults_file=Path(args.faults) if args.faults else None,
        acknowledge_after=args.auto_acknowledge,
        decide_after=args.auto_decide,
        request_info_after=args.auto_request_info,
        read_after=args.auto_read,
        auto_outcome=Outcome(args.auto_outcome),
        limits=limits,
        test_deployment=args.test_deployment,
        require_client_cert=args.require_client_cert,
        header_timeout=args.header_timeout,
        tls_cert=Path(args.tls_cert) if args.tls_cert else None,
        tls_key=Path(args.tls_key) if args.tls_key else None,
        log_level=args.log_level,
        form_file=Path(args.form_file).resolve() if args.form_file else None,
        exit_with_parent=args.exit_with_parent,
        remove_on_orphan=Path(args.remove_on_orphan).resolve() if args.remove_on_orphan else None,
    )
    try:
        return run_sandbox(options)
    except OSError as exc:
        print(f"The sandbox could not start: {exc.strerror or type(exc).__name__}.", file=sys.stderr)
        return 2


def _storage(args: argparse.Namespace):
    from referral_desktop.sandbox.storage import SandboxStorage

    data_dir = _data_dir(args)
    if not (data_dir / "sandbox.sqlite3").is_file():
        print("There is no sandbox data in that folder.", file=sys.stderr)
        raise SystemExit(2)
    return SandboxStorage(data_dir)


def _move(args: argparse.Namespace, status: ReferralStatus, **details) -> int:
    from datetime import UTC, datetime

    from referral_desktop.sandbox.storage import ReferralNotFound, TransitionRefused

    storage = _storage(args)
    try:
        report = storage.move(args.reference, status, now=datetime.now(UTC), **details)
    except ReferralNotFound:
        print("There is no referral with that reference.", file=sys.stderr)
        return 1
    except TransitionRefused as exc:
        print(f"Refused: {exc}.", file=sys.stderr)
        return 1
    suffix = f" ({report.outcome.value})" if report.outcome else ""
    print(f"{report.iart_reference} {report.status.value}{suffix}")
    return 0


def _acknowledge(args: argparse.Namespace) -> int:
    return _move(args, ReferralStatus.ACKNOWLEDGED)


def _decide(args: argparse.Namespace) -> int:
    return _move(args, ReferralStatus.DECIDED, outcome=Outcome(args.outcome))


def _request_info(args: argparse.Namespace) -> int:
    message = args.message.strip()
    if not message or len(message) > 2000:
        print("The message must be 1 to 2000 characters.", file=sys.stderr)
        return 2
    return _move(args, ReferralStatus.INFO_REQUESTED, message=message)


def _list(args: argparse.Namespace) -> int:
    for r in _storage(args).list_referrals():
        outcome = r.outcome.value if r.outcome else "-"
        print(
            f"{r.reference}\t{r.referral_id}\t{r.status.value}\t{outcome}\t"
            f"attachments {r.attachments_complete}/{r.attachments_total}\treplays {r.replays}"
        )
    return 0


def _public_key(args: argparse.Namespace) -> int:
    from referral_desktop.sandbox.secrets_store import ensure_secrets

    secrets = ensure_secrets(_data_dir(args))
    print(secrets.payload_public_jwk_file.read_text(encoding="utf-8"), end="")
    return 0


def _openapi(args: argparse.Namespace) -> int:
    from referral_desktop.sandbox.openapi_document import (
        committed_document_path,
        render_openapi_document,
    )

    text = render_openapi_document()
    path = committed_document_path()
    if args.write:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"Wrote {path}")
        return 0
    if args.check:
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            print(f"{path} differs from the models; run: referral-desktop sandbox openapi --write",
                  file=sys.stderr)
            return 1
        print("The OpenAPI document matches the models.")
        return 0
    print(text, end="")
    return 0
