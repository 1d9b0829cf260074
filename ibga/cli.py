"""The `ibga` command."""

from __future__ import annotations

import argparse
import sys

from ibga import __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ibga", description="IB Gateway automation by computer vision.")
    parser.add_argument("--version", action="version", version=f"ibga {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("doctor", help="check that this machine has what ibga needs")
    rec = commands.add_parser("recognize", help="say which gateway screen each image shows")
    rec.add_argument("images", nargs="+", metavar="IMAGE")
    rec.add_argument("--json", action="store_true", help="one JSON object per image (a list for several)")
    rec.add_argument("--annotate", metavar="OUT.png", help="draw what was found (first image) into OUT.png")
    hc = commands.add_parser(
        "health", help="exit 0 when the gateway is logged in and its API answers, else 1 and why",
        description="Healthy means: the runner's status file says logged_in AND the TWS API handshake on "
                    "the API port answers. Port: --port, else $IBG_PORT_INTERNAL, else the status file's "
                    "api_port, else 9000. Status file: --status, else $IBGA_STATUS_FILE, else "
                    "$IBG_SETTINGS_DIR/ibga/status.json.")
    hc.add_argument("--port", type=_port, help="the gateway's API port on 127.0.0.1")
    hc.add_argument("--status", metavar="PATH", help="the runner's status file")
    hc.add_argument("--json", action="store_true", help="the status and the handshake result as JSON")
    commands.add_parser(
        "run", help="launch IB Gateway, log it in and keep it alive (configuration from the environment)",
        description="Reads IBGA's environment variables (IB_USERNAME, IB_PASSWORD, IB_LOGINTYPE, TOTP_KEY, "
                    "IBG_DIR, IBG_SETTINGS_DIR, ...; see ibga.runner.config) and drives the gateway on "
                    "$DISPLAY until SIGTERM or Ctrl-C.")
    return parser


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a TCP port number (1-65535)")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "doctor":
        from ibga.doctor import doctor

        return doctor()
    if args.command == "recognize":
        return _recognize(args)
    if args.command == "health":
        return _health(args)
    if args.command == "run":
        return _run()
    parser.print_help(sys.stderr)
    return 2


def _recognize(args) -> int:
    """Recognize each image; a bad file is reported on stderr and the others still done."""
    import json

    from ibga.recognition import recognize
    from ibga.recognition.pixels import as_rgb

    status, results = 0, []
    for n, path in enumerate(args.images):
        try:
            frame = as_rgb(path)
        except ValueError as exc:
            print(f"ibga recognize: {exc}", file=sys.stderr)
            status = 2
            continue
        r = recognize(frame)
        results.append({"image": path, **r.to_dict()})
        if args.annotate and n == 0:
            _annotate(frame, r, args.annotate)
        if not args.json:
            state = ", ".join(f"{k}={v}" for k, v in r.state.items())
            print(f"{path}: {r.screen} ({r.score:.2f}) window={list(r.window) if r.window else None}"
                  f"{' state: ' + state if state else ''}{' also: ' + ', '.join(r.also) if r.also else ''}"
                  f" elements: {', '.join(sorted(r.elements))}")
    if args.json:
        print(json.dumps(results[0] if len(args.images) == 1 and results else results, indent=1))
    return status


def _health(args) -> int:
    """One line (or JSON) on stdout; 0 healthy, 1 not (also for bad settings: Docker reserves 2)."""
    import json

    from ibga.runner.health import check, port_from_env
    from ibga.runner.status import default_status_path

    port = args.port
    if port is None:
        try:
            port = port_from_env()
        except ValueError as exc:
            print(f"ibga health: {exc}", file=sys.stderr)
            return 1
    report = check(args.status or default_status_path(), port)
    print(json.dumps(report.to_dict(), indent=1) if args.json else report.message)
    return report.exit_code


def _run() -> int:
    """The runner on $DISPLAY; configuration problems are one message and exit code 2."""
    import logging
    import os

    from ibga.runner.config import ConfigError, load_config

    try:
        config = load_config(os.environ)
    except ConfigError as exc:
        print(f"ibga run: {exc}", file=sys.stderr)
        return 2
    if config.is_demo:
        print("ibga run: IB_USERNAME is not set, so there is no account to log in (IB_USERNAME and "
              "IB_PASSWORD, or their _FILE variables, are needed)", file=sys.stderr)
        return 2
    display = os.environ.get("DISPLAY", "").strip()
    if not display:
        print("ibga run: DISPLAY is not set: name the X display the gateway runs on (e.g. DISPLAY=:0)",
              file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    from ibga.runner.loop import run
    from ibga.runner.status import default_status_path

    return run(config, display, status_path=default_status_path(os.environ))


def _annotate(frame, r, out: str) -> None:
    from PIL import Image, ImageDraw

    image = Image.fromarray(frame)
    draw = ImageDraw.Draw(image)
    if r.window:
        x, y, w, h = r.window
        draw.rectangle([x, y, x + w - 1, y + h - 1], outline=(0, 128, 255), width=2)
        draw.text((x + 4, y + 4), f"{r.screen} {r.score:.2f}", fill=(0, 128, 255))
    for name, e in r.elements.items():
        x, y, w, h = e.box
        draw.rectangle([x, y, x + w - 1, y + h - 1], outline=(0, 220, 0))
        cx, cy = e.centre
        draw.ellipse([cx - 2, cy - 2, cx + 2, cy + 2], fill=(255, 0, 0))
        draw.text((x + 2, y - 10), name, fill=(0, 220, 0))
    image.save(out)
