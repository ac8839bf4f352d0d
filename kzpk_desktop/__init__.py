"""kzpk_desktop: read, tag and fact-check news on Pakistan–Kazakhstan relations."""

__version__ = "0.1.0"
