"""The ``servicecycle`` command: run the API locally and work with it."""

import argparse
import sys
from pathlib import Path

from local.settings import DEFAULT_PORT


def _dev(args: argparse.Namespace) -> int:
    from local.auth import issue_token, signing_key  # noqa: PLC0415
    from local.aws import start_moto  # noqa: PLC0415
    from local.demo import DEMO_ACCOUNTS, load_demo_data  # noqa: PLC0415
    from local.gateway import LocalGateway  # noqa: PLC0415
    from local.server import make_server  # noqa: PLC0415

    persist = Path(args.persist).resolve() if args.persist else None
    moto, restored = start_moto(persist)
    gateway = LocalGateway(signing_key())
    if not restored and not args.no_demo:
        load_demo_data(gateway)
    server = make_server(gateway, args.host, args.port, quiet=args.quiet)
    base = f"http://{args.host}:{server.server_address[1]}"
    token = issue_token(DEMO_ACCOUNTS[0])
    print(f"ServiceCycle local API on {base}  (docs: {base}/docs)")
    print(
        "Data: "
        + (f"kept in {persist}" if persist else "in memory; lost on exit (use --persist FILE)")
        + ("  [restored]" if restored else "")
    )
    print(f"\nToken for account {DEMO_ACCOUNTS[0]} (admin, 12 h):\n{token}\n")
    print(f'Try:  curl -H "Authorization: Bearer {token[:16]}..." {base}/assets')
    print(
        f"      TOKEN=$(servicecycle token --account {DEMO_ACCOUNTS[0]}); "
        f'curl -H "Authorization: Bearer $TOKEN" {base}/assets\n',
        flush=True,
    )
    from local import dev_stack  # noqa: PLC0415

    stack = dev_stack.write_stack_file(base, moto.url)
    dev_stack.start_ticker(args.tick)
    print(
        f"Notifications: evaluated and sent every {args.tick:g} s; see them with `servicecycle outbox`\n",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stack.unlink(missing_ok=True)
        server.server_close()
        moto.stop()
    return 0


def _token(args: argparse.Namespace) -> int:
    from datetime import timedelta  # noqa: PLC0415

    from local.auth import issue_token  # noqa: PLC0415

    print(issue_token(args.account, args.role, ttl=timedelta(hours=args.hours)))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from local import dev_stack  # noqa: PLC0415

    at = dev_stack.parse_time(args.at) if args.at else None
    if args.at and at is None:
        print(f"servicecycle evaluate: --at {args.at!r} is not an ISO 8601 time (e.g. 2027-03-01T08:00:00Z)")
        return 2
    if not dev_stack.attach():
        print("servicecycle evaluate: no dev stack is running; start one with `make dev` (servicecycle dev)")
        return 2
    report, deliveries = dev_stack.evaluate_now(at)
    print(dev_stack.describe(report, deliveries))
    return 0


def _outbox(args: argparse.Namespace) -> int:
    import json  # noqa: PLC0415

    from local import dev_stack, notifications  # noqa: PLC0415

    if not dev_stack.attach():
        print("servicecycle outbox: no dev stack is running; start one with `make dev` (servicecycle dev)")
        return 2
    sent = notifications.outbox(dev_stack.endpoint())
    print(json.dumps(sent, indent=2) if args.json else dev_stack.describe_outbox(sent))
    return 0


def _redrive(_args: argparse.Namespace) -> int:
    from local import dev_stack, notifications  # noqa: PLC0415

    if not dev_stack.attach():
        print("servicecycle redrive: no dev stack is running; start one with `make dev` (servicecycle dev)")
        return 2
    print(f"{notifications.redrive()} dead-lettered deliveries moved back to the queue")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="servicecycle", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)

    dev = commands.add_parser("dev", help="serve the API on this machine with an embedded moto")
    dev.add_argument("--host", default="127.0.0.1")
    dev.add_argument("--port", type=int, default=DEFAULT_PORT)
    dev.add_argument("--persist", metavar="FILE", help="keep data in FILE across restarts")
    dev.add_argument("--no-demo", action="store_true", help="start with an empty table")
    dev.add_argument("--quiet", action="store_true", help="no access log")
    dev.add_argument("--tick", type=float, default=10.0, help="seconds between evaluator runs (0: never)")
    dev.set_defaults(run=_dev)

    token = commands.add_parser("token", help="print a signed token for the local API")
    token.add_argument("--account", required=True)
    token.add_argument("--role", choices=("admin", "editor", "viewer"), default="admin")
    token.add_argument("--hours", type=float, default=12.0, help="lifetime in hours")
    token.set_defaults(run=_token)

    evaluate = commands.add_parser(
        "evaluate", help="run the evaluator on the running dev stack now (or as if at --at TIME), then send"
    )
    evaluate.add_argument("--at", metavar="TIME", help="ISO 8601, e.g. 2027-03-01T08:00:00Z (may be ahead)")
    evaluate.set_defaults(run=_evaluate)
    outbox = commands.add_parser("outbox", help="show what the local SNS (SMS) and SES (email) accepted")
    outbox.add_argument("--json", action="store_true", help="as a JSON array")
    outbox.set_defaults(run=_outbox)
    redrive = commands.add_parser("redrive", help="move dead-lettered deliveries back to the queue")
    redrive.set_defaults(run=_redrive)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
