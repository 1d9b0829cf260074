"""ibga: IB Gateway automation by computer vision."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ibga")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"
