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
    sv = commands.add_parser(
        "supervise", help="the container's entrypoint: screen, VNC/noVNC, API relay, install, runner",
        description="Starts Xvfb (1024x768x24), x11vnc and noVNC, the API relay IBG_PORT -> "
                    "127.0.0.1:IBG_PORT_INTERNAL, installs IB Gateway from IBG_DOWNLOAD_URL when IBG_DIR "
                    "has none, then logs it in and keeps it alive (as `ibga run`); SIGTERM stops it all, the "
                    "gateway first. Without IB_USERNAME a person logs in over noVNC (manual login); the "
                    "replica demo runs only with IBGA_DEMO=true. VNC and noVNC listen on every "
                    "interface when IBGA_VNC_PASSWORD is set, else on 127.0.0.1 only.")
    sv.add_argument("--vnc-port", type=_port, default=5900, help="x11vnc's port (default 5900)")
    sv.add_argument("--novnc-port", type=_port, default=5800, help="noVNC's web port (default 5800)")
    sv.add_argument("--vnc-without-password", action="store_true",
                    help="listen on every interface even without IBGA_VNC_PASSWORD (anyone who reaches the "
                         "port can click in the gateway)")
    dm = commands.add_parser(
        "demo", help="watch ibga log in the replica gateway in your browser (no IBKR account needed)",
        description="Starts a private Xvfb, installs ibga's replica of IB Gateway into a temporary "
                    "directory, logs it in with a paper demo account and shows the screen on noVNC; "
                    "Ctrl-C stops everything. Needs ibga's source tree (tools/replica), a JDK, Xvfb, "
                    "x11vnc, novnc and websockify.")
    dm.add_argument("--port", type=_port, default=5800, help="noVNC's web port on 127.0.0.1 (default 5800)")
    dm.add_argument("--api-port", type=_port, default=4000,
                    help="where the gateway's API is published on 127.0.0.1 (default 4000)")
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
    if args.command == "supervise":
        return _supervise(args)
    if args.command == "demo":
        from ibga.runner.demo import demo

        return demo(novnc_port=args.port, api_port=args.api_port)
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
    import os

    from ibga.runner.config import ConfigError, load_config

    try:
        config = load_config(os.environ)
    except ConfigError as exc:
        print(f"ibga run: {exc}", file=sys.stderr)
        return 2
    if config.demo:
        print("ibga run: IBGA_DEMO=true asks for the replica demo, which `ibga run` never starts (it drives "
              "the gateway in IBG_DIR): use `ibga demo`, or unset IBGA_DEMO", file=sys.stderr)
        return 2
    display = os.environ.get("DISPLAY", "").strip()
    if not display:
        print("ibga run: DISPLAY is not set: name the X display the gateway runs on (e.g. DISPLAY=:0)",
              file=sys.stderr)
        return 2
    from ibga.runner import logs, secrecy

    secrecy.hide_config(config)
    logs.setup(fmt="%(asctime)s %(levelname)s %(message)s")
    from ibga.runner.loop import run
    from ibga.runner.status import default_status_path

    return run(config, display, status_path=default_status_path(os.environ))


def _supervise(args) -> int:
    """The container's entrypoint; its log goes to stdout, where `docker logs` looks."""
    from ibga.runner import logs
    from ibga.runner.supervise import ScreenOptions, supervise

    logs.setup(stream=sys.stdout)
    options = ScreenOptions(vnc_port=args.vnc_port, novnc_port=args.novnc_port,
                            allow_open_vnc=args.vnc_without_password)
    return supervise(options=options)


def _annotate(frame, r, out: str) -> None:
    from PIL import Image

    from ibga.recognition.annotate import annotate

    Image.fromarray(annotate(frame, r)).save(out)
