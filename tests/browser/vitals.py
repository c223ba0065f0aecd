"""Web Vitals in the test browser: a PerformanceObserver script injected before any page script
(in every frame), read back after the page's real content is on screen and a real click.

- LCP: the last 'largest-contentful-paint' entry (render time), ms from the document's start.
- CLS: the sum of 'layout-shift' values without recent input (an upper bound of the session-window
  CLS Chrome reports).
- INP (approximate): the longest 'event' entry with an interactionId, observed with
  durationThreshold 16 — 0 when no interaction took 16 ms or more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LCP_MS, CLS, INP_MS = 1000.0, 0.02, 100.0  # our bars

OBSERVER_SCRIPT = r"""
(() => {
  const v = window.__vitals = { lcp: 0, lcpElement: '', cls: 0, inp: 0, events: 0, shifted: [] };
  const describe = (node) => !node || !node.tagName ? '' : node.tagName.toLowerCase() +
    (node.id ? '#' + node.id : '') + (node.className && typeof node.className === 'string'
      ? '.' + node.className.trim().split(/\s+/).join('.') : '');
  const watch = (options, callback) => {
    try { new PerformanceObserver((list) => list.getEntries().forEach(callback)).observe(options); }
    catch (e) { /* entry type not supported here */ }
  };
  watch({ type: 'largest-contentful-paint', buffered: true }, (e) => {
    v.lcp = e.renderTime || e.startTime || e.loadTime;
    const el = e.element;
    v.lcpElement = el ? el.tagName.toLowerCase() + ': ' + (el.textContent || '').trim().slice(0, 40)
                      : '';
  });
  watch({ type: 'layout-shift', buffered: true }, (e) => {
    if (e.hadRecentInput) return;
    v.cls += e.value;
    (e.sources || []).forEach((s) => v.shifted.push(describe(s.node)));
  });
  watch({ type: 'event', buffered: true, durationThreshold: 16 }, (e) => {
    if (e.interactionId) { v.events += 1; v.inp = Math.max(v.inp, e.duration); }
  });
})();
"""

# Resolves once two frames have been painted since the call (event timing entries are queued
# after the next paint).
_AFTER_PAINT = """() => new Promise((resolve) =>
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 50))))"""


@dataclass
class Vitals:
    """One page's measurements."""

    page: str
    lcp_ms: float
    cls: float
    inp_ms: float
    lcp_element: str
    shifted: list[str]

    def line(self) -> str:
        """The line printed: page: LCP x ms, CLS y, INP z ms."""
        return (
            f"{self.page}: LCP {self.lcp_ms:.0f} ms, CLS {self.cls:.4f}, INP {self.inp_ms:.0f} ms"
            f"  (LCP element {self.lcp_element!r}"
            + (f"; shifted: {', '.join(dict.fromkeys(self.shifted))}" if self.shifted else "")
            + ")"
        )

    def misses(self) -> dict[str, str]:
        """The bars this page misses, by metric (empty when it meets them all)."""
        missed = {}
        if self.lcp_ms > LCP_MS:
            missed["LCP"] = f"LCP {self.lcp_ms:.0f} ms > {LCP_MS:.0f} ms"
        if self.cls > CLS:
            missed["CLS"] = f"CLS {self.cls:.4f} > {CLS}"
        if self.inp_ms > INP_MS:
            missed["INP"] = f"INP {self.inp_ms:.0f} ms > {INP_MS:.0f} ms"
        return missed


def observe(context: Any) -> None:
    """Install the observers in every page and frame the browser context opens from now on."""
    context.add_init_script(script=OBSERVER_SCRIPT)


def measure(name: str, frame: Any, click_target: Any) -> Vitals:
    """Read the vitals of `frame` (a Page or Frame whose real content is on screen) after a real
    click on `click_target` (a Locator in it), and print them."""
    frame.evaluate(_AFTER_PAINT)
    click_target.click()
    frame.evaluate(_AFTER_PAINT)
    raw = frame.evaluate("() => window.__vitals")
    vitals = Vitals(name, raw["lcp"], raw["cls"], raw["inp"], raw["lcpElement"], raw["shifted"])
    print(vitals.line())
    return vitals
