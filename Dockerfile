# syntax=docker/dockerfile:1
# ibga: IB Gateway kept logged in by computer vision, headless in Xvfb, watchable on noVNC (port 5800),
# its API published on IBG_PORT (4000). Same variables, volumes and ports as heshiming/ibga.
#
#   docker build -t ibga .                                  # any architecture Debian and PyPI serve
#   docker buildx build --platform linux/amd64,linux/arm64 -t ibga .
#   docker build --build-arg JAVA_PACKAGES= -t ibga:slim .  # no Java: the real gateway brings its own
#
# Nothing secret is baked in: credentials arrive at run time (environment or *_FILE secrets).

# The base is an argument so that a locally made Debian 12 base can stand in (tools/image-test).
ARG BASE_IMAGE=debian:bookworm-slim

# noVNC's web client is static files, but Debian's novnc package depends on nodejs (+60 MB) for tools
# it does not even ship: take the files alone from the package.
FROM ${BASE_IMAGE} AS novnc
WORKDIR /tmp/novnc
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get download novnc \
 && dpkg-deb -x novnc_*.deb /tmp/novnc/root \
 && test -f /tmp/novnc/root/usr/share/novnc/vnc.html \
 && rm -rf /var/lib/apt/lists/*

FROM ${BASE_IMAGE}

# Java for the replica gateway of the demo (its installer compiles with javac, its windows need AWT's
# X11 half, which openjdk-17-jre-headless lacks) and for `ibga doctor`. The real IB Gateway installer
# bundles its own JRE, so a production-only image can be built with JAVA_PACKAGES empty.
ARG JAVA_PACKAGES="openjdk-17-jre openjdk-17-jdk-headless"

# One layer of system packages (see the comments for why each is here).
#   xvfb x11-utils xauth                 the virtual screen (and xdpyinfo)
#   x11vnc websockify                    VNC on the display and noVNC's proxy (its page: below)
#   tesseract-ocr tesseract-ocr-eng      OCR data for the recognizer's words (tesserocr reads it)
#   fonts-dejavu-core fontconfig         the gateway draws its text in DejaVu Sans
#   libxtst6 libxrender1 libxi6 libxext6 libfreetype6
#                                        what the gateway's bundled JRE needs from the system
#   python3 python3-venv python3-tk      ibga's Python (3.11); pyautogui's mouseinfo imports tkinter
#   tzdata ca-certificates               IB_TIMEZONE; the HTTPS download of the gateway installer
#   procps                               ps/pkill for people who docker exec into it
#   tini                                 PID 1: reaps orphans (the gateway's launcher leaves some) and
#                                        passes SIGTERM on, with or without `init: true` in compose
# (/usr/share/man/man1 must exist: slim images drop it, and Java's postinst links its manuals there.)
# hadolint ignore=DL3008
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      xvfb x11-utils xauth \
      x11vnc websockify \
      tesseract-ocr tesseract-ocr-eng \
      fonts-dejavu-core fontconfig \
      libxtst6 libxrender1 libxi6 libxext6 libfreetype6 \
      python3 python3-venv python3-tk \
      tzdata ca-certificates procps tini \
      ${JAVA_PACKAGES} \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/debconf/*-old /var/log/apt /var/log/dpkg.log

COPY --from=novnc /tmp/novnc/root/usr/share/novnc /usr/share/novnc
COPY --from=novnc /tmp/novnc/root/usr/share/doc/novnc/copyright /usr/share/doc/novnc/copyright

# The account everything runs as. uid/gid 2000 as in IBGA, so volumes an IBGA container wrote are
# ours without a chown. Its home is the program volume, as in IBGA.
RUN groupadd --gid 2000 ibg \
 && useradd --uid 2000 --gid 2000 --home-dir /home/ibg --no-create-home --shell /bin/bash ibg \
 && mkdir -p /home/ibg /home/ibg_settings \
 && chown ibg:ibg /home/ibg /home/ibg_settings

# ibga lives in a venv, installed editable from its source tree at /opt/ibga/src so that the replica
# installer (tools/replica) sits beside the package, as in a checkout, for the demo.
# First the dependencies alone, from pyproject.toml and a stub package: this layer is rebuilt only when
# the dependencies change, not at every edit of the code.
# No bytecode in the layer (-75 MB): it costs under a second of compiling at each start of the container.
# pyautogui drags in python3-Xlib 0.15, which shares the Xlib/ directory with python-xlib: 0.33 must win.
# A build behind a TLS-intercepting proxy can hand pip its CA bundle as a build secret, which never
# reaches a layer:  --secret id=pip_cert,src=/etc/ssl/certs/ca-certificates.crt
ENV VIRTUAL_ENV=/opt/ibga/venv
ENV PATH=/opt/ibga/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
COPY pyproject.toml /opt/ibga/src/
# hadolint ignore=DL3013
RUN --mount=type=secret,id=pip_cert \
    if [ -s /run/secrets/pip_cert ]; then export PIP_CERT=/run/secrets/pip_cert; fi \
 && python3 -m venv "$VIRTUAL_ENV" \
 && mkdir -p /opt/ibga/src/ibga && touch /opt/ibga/src/ibga/__init__.py /opt/ibga/src/README.md \
 && pip install --no-cache-dir --disable-pip-version-check -e /opt/ibga/src \
 && pip install --no-cache-dir --disable-pip-version-check --force-reinstall --no-deps python-xlib \
 && python3 -c 'import Xlib, sys; sys.exit(Xlib.__version__ < (0, 33))' \
 && find "$VIRTUAL_ENV" -name __pycache__ -prune -exec rm -rf {} +

# Then the code: the package and the replica gateway (Java sources and its installer) for the demo.
COPY README.md /opt/ibga/src/
COPY ibga /opt/ibga/src/ibga
COPY tools/replica /opt/ibga/src/tools/replica
RUN python3 -m compileall -q /opt/ibga/src/ibga \
 && ibga --version

# IBGA's defaults (heshiming/ibga scripts/_env.sh); DISPLAY, Xvfb and VNC are the supervisor's business.
ENV IBG_DIR=/home/ibg \
    IBG_SETTINGS_DIR=/home/ibg_settings \
    IBG_PORT_INTERNAL=9000 \
    IBG_PORT=4000 \
    LANG=C.UTF-8 \
    PYTHONUNBUFFERED=1

COPY --chmod=0755 docker/entrypoint /usr/local/bin/ibga-entrypoint

# The API (IBG_PORT, relayed to the gateway's IBG_PORT_INTERNAL on 127.0.0.1) and noVNC.
EXPOSE 4000 5800
VOLUME ["/home/ibg", "/home/ibg_settings"]
WORKDIR /home/ibg

# Healthy = logged in and the TWS API handshake answers (not merely "the port is open"). The start
# period covers a first install of the gateway and a login that waits for a person's 2FA approval.
HEALTHCHECK --interval=30s --timeout=15s --start-period=300s --retries=3 CMD ["ibga", "health"]

# The entrypoint starts as root only to make bind-mounted volumes that Docker created (root-owned)
# writable by ibg, as IBGA's manager does, then drops to ibg for good and runs `ibga supervise`.
# Started with --user (any non-root uid) it runs `ibga supervise` directly. tini runs it (-s: also when
# Docker's own init is PID 1) so that no zombie piles up in a container that runs for months.
ENTRYPOINT ["tini", "-s", "--", "ibga-entrypoint"]
# Inside a container 127.0.0.1 cannot be reached through a published port, so VNC/noVNC listen on the
# container's interface even without IBGA_VNC_PASSWORD, as in IBGA: who can reach them is decided where
# the ports are published (docker-compose.yml binds them to the host's 127.0.0.1). `command: []` in a
# compose file keeps them inside the container unless IBGA_VNC_PASSWORD is set.
CMD ["--vnc-without-password"]
