// The page's chart runtime, bundled with Vega by vl_convert.javascript_bundle (see
// benchmarks.offline): the Vega runtime only (charts arrive compiled from Vega-Lite to
// Vega, benchmarks.charts.vega), bmDraw(el, spec) to draw one chart as SVG, and a
// tooltip handler that writes every value as text (never HTML) into one element, as
// vega-tooltip's does. A chart whose config is "page" uses the report theme's config,
// window.bmConfig, which benchmarks.offline appends to this script.
//
// The import names the module as vl-convert's own import map does (the snippet's
// predefined `vega` is not the module); vl-convert resolves it to the copy of Vega it
// carries, so nothing is fetched and the bundle names no URL. benchmarks.offline puts
// in the Vega version vl-convert reports.
import { View, parse } from "https://cdn.jsdelivr.net/npm/vega@@@VEGA_VERSION@@/+esm";

window.vega = { View: View, parse: parse };

function tooltipText(value) {
  if (value == null) return '';
  if (typeof value === 'object') {
    try { return JSON.stringify(value); } catch (e) { return String(value); }
  }
  return String(value);
}

function tooltipElement() {
  var el = document.getElementById('vg-tooltip-element');
  if (!el) {
    el = document.createElement('div');
    el.id = 'vg-tooltip-element';
    el.className = 'vg-tooltip';
    // The figures are in each chart's "view as table"; the tooltip repeats them for the
    // pointer, hidden from assistive technology as the drawing is.
    el.setAttribute('aria-hidden', 'true');
    document.body.appendChild(el);
  }
  return el;
}

function showTooltip(handler, event, item, value) {
  var el = tooltipElement();
  if (value == null || value === '') {
    el.classList.remove('visible');
    return;
  }
  el.textContent = '';
  if (typeof value === 'object' && !Array.isArray(value)) {
    var rest = Object.assign({}, value);
    if ('title' in rest) {
      var heading = document.createElement('h2');
      heading.textContent = tooltipText(rest.title);
      el.appendChild(heading);
      delete rest.title;
    }
    var keys = Object.keys(rest).filter(function (k) { return rest[k] !== undefined; });
    if (keys.length) {
      var table = document.createElement('table');
      keys.forEach(function (k) {
        var row = table.insertRow();
        var name = row.insertCell();
        name.className = 'key';
        name.textContent = k;
        var cell = row.insertCell();
        cell.className = 'value';
        cell.textContent = tooltipText(rest[k]);
      });
      el.appendChild(table);
    }
  } else {
    el.textContent = tooltipText(value);
  }
  el.classList.add('visible');
  var x = event.clientX + 10, y = event.clientY + 10;
  if (x + el.offsetWidth > window.innerWidth) x = Math.max(0, event.clientX - 10 - el.offsetWidth);
  if (y + el.offsetHeight > window.innerHeight) y = Math.max(0, event.clientY - 10 - el.offsetHeight);
  el.style.left = x + 'px';
  el.style.top = y + 'px';
}

// A chart in an exported page may carry {"bm": i} for a part it shares with other
// charts (benchmarks.pageparts); the page defines window.bmParts once. Each is put back
// as a copy (never inside a dataset's values).
function withParts(node) {
  if (Array.isArray(node)) return node.map(withParts);
  if (node === null || typeof node !== 'object') return node;
  var keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === 'bm') {
    if (!window.bmParts || !(node.bm in window.bmParts)) throw new Error('missing chart part');
    return withParts(window.bmParts[node.bm]);
  }
  var out = {};
  keys.forEach(function (k) { out[k] = k === 'values' ? node[k] : withParts(node[k]); });
  return out;
}

// The figure component's chart script (components/figure.html.j2): if the chart fails
// to draw, its box stops being an image and says so, as text.
window.bmShow = function (box, drawn) {
  return drawn.catch(function (e) {
    box.className += ' bm-chart-error';
    box.removeAttribute('role');
    box.removeAttribute('aria-label');
    box.textContent = 'Chart failed to draw: ' + e;
  });
};

window.bmDraw = function (el, spec) {
  return new Promise(function (resolve) {
    var config;
    if (window.bmParts) spec = withParts(spec);
    if (spec.config === 'page') {
      spec = Object.assign({}, spec);
      delete spec.config;
      config = window.bmConfig;
    }
    var view = new View(parse(spec, config), {renderer: 'svg', container: el, hover: true});
    view.tooltip(showTooltip);
    resolve(view.runAsync());
  });
};
