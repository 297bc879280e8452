/**
 * What the web benchmark watches inside a page, installed before the page's own scripts: the live
 * store's per-sample measures, long tasks and long animation frames, and the first stroke of a data
 * series on a uPlot canvas (the first live chart paint).
 */

/**
 * The init script. `seriesColors` are the charts' series colours (hex): grid and axis lines use
 * translucent rgba colours, so a stroke in one of these colours on a `.uplot` canvas is data being drawn.
 */
export function probeScript(seriesColors, sampleMeasure) {
  return `(() => {
  const probes = { measures: [], longTasks: [], longFrames: [], firstSeriesStroke: null, firstSeriesFrame: null };
  window.__benchProbes = probes;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (e.name === ${JSON.stringify(sampleMeasure)}) probes.measures.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: "measure", buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probes.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: "longtask", buffered: true });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probes.longFrames.push({ start: e.startTime, duration: e.duration, blocking: e.blockingDuration });
    }).observe({ type: "long-animation-frame", buffered: true });
  } catch {}
  const colors = new Set(${JSON.stringify(seriesColors.map((c) => c.toLowerCase()))});
  const stroke = CanvasRenderingContext2D.prototype.stroke;
  CanvasRenderingContext2D.prototype.stroke = function (...args) {
    if (probes.firstSeriesStroke === null && colors.has(String(this.strokeStyle).toLowerCase()) && this.canvas.closest && this.canvas.closest(".uplot")) {
      probes.firstSeriesStroke = performance.now();
      requestAnimationFrame(() => (probes.firstSeriesFrame = performance.now()));
    }
    return stroke.apply(this, args);
  };
})();`;
}

/** The probes' findings so far (times in ms since the page's navigation started). */
export function readProbes(page) {
  return page.evaluate(() => globalThis.__benchProbes);
}

/** Empties the lists (not the first-paint times), so a measurement window starts clean. */
export function resetProbes(page) {
  return page.evaluate(() => {
    const p = globalThis.__benchProbes;
    p.measures.length = 0;
    p.longTasks.length = 0;
    p.longFrames.length = 0;
  });
}
