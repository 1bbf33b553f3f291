"""The page's own stylesheet: the status bar, the results' cards, the seed buttons, the tab bar.

Gradio 6 takes page CSS in `launch()`: app.py's `launch_kwargs`, which every launcher uses (the
app, the tests, the benches), passes it.
"""

from __future__ import annotations

PAGE_CSS = """
/* One status per tab (tabs/progress_bar.py). */
.studio-status-box { min-height: 2.6em; }
.studio-status { display: flex; flex-direction: column; gap: 6px; }
.studio-status-head { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 8px;
  font-weight: 600; }
.studio-status-icon { display: inline-flex; flex: none; }
.studio-status-icon svg { width: 16px; height: 16px; }
.studio-running .studio-status-icon svg { animation: studio-spin 1.1s linear infinite; }
.studio-status-pct { font-variant-numeric: tabular-nums; }
.studio-status-step { font-weight: 400; overflow-wrap: anywhere; }
.studio-cancelled .studio-status-step, .studio-succeeded .studio-status-step { font-weight: 600; }
progress.studio-bar { display: block; width: 100%; height: 8px; border: none; border-radius: 999px;
  -webkit-appearance: none; appearance: none; overflow: hidden;
  background: var(--neutral-200); color: var(--color-accent); }
progress.studio-bar::-webkit-progress-bar { background: var(--neutral-200); border-radius: 999px; }
progress.studio-bar::-webkit-progress-value { background: var(--color-accent);
  border-radius: 999px; transition: width 0.5s ease; }
progress.studio-bar::-moz-progress-bar { background: var(--color-accent); border-radius: 999px; }
progress.studio-bar:indeterminate { background: linear-gradient(90deg, var(--neutral-200) 30%,
  var(--color-accent) 50%, var(--neutral-200) 70%); background-size: 300% 100%;
  animation: studio-slide 1.6s linear infinite; }
progress.studio-bar:indeterminate::-webkit-progress-bar { background: transparent; }
.studio-status-times { font-size: var(--text-sm); color: var(--body-text-color-subdued);
  font-variant-numeric: tabular-nums; }
@keyframes studio-spin { to { transform: rotate(360deg); } }
@keyframes studio-slide { from { background-position: 100% 0; } to { background-position: 0 0; } }
@media (prefers-reduced-motion: reduce) {
  .studio-running .studio-status-icon svg, progress.studio-bar:indeterminate { animation: none; }
}

/* Several tracks: a card each; an upscale: before and after (tabs/results_view.py). */
.studio-tracks { display: grid; gap: 10px;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 240px), 1fr)); }
.studio-track, .studio-side { margin: 0; display: flex; flex-direction: column; gap: 6px; }
.studio-track { padding: 10px 12px; border: 1px solid var(--border-color-primary);
  border-radius: 10px; background: var(--block-background-fill); }
.studio-track figcaption, .studio-side figcaption { display: flex; justify-content: space-between;
  gap: 8px; font-weight: 600; }
.studio-track-length { font-weight: 400; color: var(--body-text-color-subdued);
  font-variant-numeric: tabular-nums; }
.studio-track audio, .studio-track video { width: 100%; }
.studio-download { font-size: var(--text-sm); overflow-wrap: anywhere; }
.studio-compare { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 12px; }
.studio-side video { width: 100%; height: auto; border-radius: 6px; background: #000; }

/* The seed's buttons: small, beside the field, not blocks as tall as it. */
.studio-seed-row { align-items: flex-end; flex-wrap: nowrap; gap: 6px; }
.studio-seed-row > button { flex: none; width: auto; align-self: flex-end;
  margin-bottom: var(--block-padding, 10px); white-space: nowrap; }

/* A phone: every tab reachable (the bar wraps: gr.Tabs(overflow_behavior="wrap")) and small;
   the form's side-by-side fields one under the other, each as wide as the screen. */
@media (max-width: 640px) {
  [role="tablist"] button[role="tab"] { padding: 6px 10px; font-size: var(--text-sm); }
  .studio-form .row:not(.studio-seed-row),
  .studio-form .row:not(.studio-seed-row) > .form { flex-wrap: wrap; }
  .studio-form .row:not(.studio-seed-row) > *,
  .studio-form .row:not(.studio-seed-row) > .form > * { flex: 1 1 100% !important; }
}
"""
