"""Leaflet's code and stylesheet read from the installed package, for maps with no internet."""

from __future__ import annotations

import base64
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from coverage.outputs.maps.scales import BACKGROUND_COLOUR, TOOLTIP_MAX_PX

# ---------------------------------------------------------------------------- assets


@dataclass(frozen=True)
class OfflineAssets:
    """Leaflet's code and stylesheet, read from the installed ``xstatic-leaflet``.

    Attributes
    ----------
    version
        Leaflet version of the package.
    javascript
        ``leaflet.js``.
    stylesheet
        ``leaflet.css`` with its images inlined as ``data:`` URIs.
    """

    version: str
    javascript: str
    stylesheet: str

    @property
    def javascript_uri(self) -> str:
        """``data:`` URI of the code, for ``default_js``."""
        return _data_uri(self.javascript, "text/javascript")

    @property
    def stylesheet_uri(self) -> str:
        """``data:`` URI of the stylesheet, for ``default_css``."""
        return _data_uri(self.stylesheet, "text/css")


def _data_uri(text: str, mime: str) -> str:
    return f"data:{mime};charset=utf-8;base64," + base64.b64encode(text.encode()).decode("ascii")


@functools.cache
def offline_assets() -> OfflineAssets:
    """Return Leaflet's assets from the installed ``xstatic-leaflet`` package.

    Read once per process; the result is immutable.
    """
    from xstatic.pkg import leaflet as xstatic_leaflet

    base = Path(xstatic_leaflet.BASE_DIR)
    css = (base / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        image = base / match.group(1)
        encoded = base64.b64encode(image.read_bytes()).decode("ascii")
        return f'url("data:image/png;base64,{encoded}")'

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)
    return OfflineAssets(
        version=str(xstatic_leaflet.VERSION),
        javascript=(base / "leaflet.js").read_text(encoding="utf-8"),
        stylesheet=css,
    )


_MAP_CSS: Final[str] = f"""
<style>
.leaflet-container {{ background: {BACKGROUND_COLOUR};
  font-family: "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif; }}
.gl-label {{ background: none; border: none; }}
.gl-label span {{ position: absolute; left: 0; top: 0; transform: translate(-50%, 7px);
  white-space: nowrap; font-size: 11px; line-height: 1; color: #222;
  text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; }}
.gl-legend {{ background: rgba(255,255,255,0.93); padding: 8px 10px; border-radius: 6px;
  box-shadow: 0 1px 5px rgba(0,0,0,0.35); font-size: 12px; line-height: 1.35;
  max-width: 250px; max-height: calc(100vh - 60px); overflow-y: auto; color: #222; }}
.gl-legend summary {{ cursor: pointer; margin-bottom: 3px; font-size: 13px; }}
.gl-legend .gl-more > summary {{ margin: 5px 0 2px; font-size: 12px; font-weight: 700; }}
.gl-legend.gl-compact {{ padding: 4px 7px; font-size: 11px; line-height: 1.2; max-width: 185px; }}
.gl-legend.gl-compact summary {{ font-size: 12px; margin-bottom: 1px; }}
.gl-legend.gl-compact .gl-row {{ margin: 1px 0; gap: 4px; }}
.gl-legend.gl-compact .gl-sw {{ width: 12px; height: 9px; }}
.gl-legend.gl-compact .gl-note {{ font-size: 10px; }}
.gl-legend .gl-row {{ display: flex; align-items: center; gap: 6px; margin: 2px 0; }}
.gl-legend .gl-sw {{ width: 16px; height: 12px; border: 1px solid #777; flex: none; }}
.gl-legend svg {{ flex: none; }}
.gl-legend .gl-note {{ margin-top: 5px; font-size: 11px; color: #8a3b00; }}
.gl-tip {{ font-size: 12px; white-space: normal; width: max-content; max-width: {TOOLTIP_MAX_PX}px; }}
.gl-tip .gl-reasons {{ margin-top: 3px; overflow-wrap: anywhere; }}
.gl-tip .gl-reasons div {{ margin-top: 2px; }}
.gl-tip table {{ border-collapse: collapse; }}
.gl-tip th {{ text-align: left; font-weight: 600; padding: 0 8px 0 0; }}
.gl-tip td {{ padding: 0; }}
.gl-tip .gl-title {{ font-weight: 700; font-size: 13px; margin-bottom: 2px; }}
.gl-tip .gl-flag {{ color: #a3004f; font-weight: 600; }}
.gl-site {{ background: none; border: none; }}
</style>
"""
