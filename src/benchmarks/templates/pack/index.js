/* Pack index: sort by any column, filter by region, group and name. Reads only the page. */
(function () {
  "use strict";
  var table = document.getElementById("authorities");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var region = document.getElementById("filter-region");
  var group = document.getElementById("filter-group");
  var text = document.getElementById("filter-name");
  var shown = document.getElementById("shown");

  function groupsOf(row) {
    try { return JSON.parse(row.getAttribute("data-groups") || "[]"); } catch (e) { return []; }
  }

  function filter() {
    var r = region.value, g = group.value, t = text.value.trim().toLowerCase(), count = 0;
    rows.forEach(function (row) {
      var ok = (!r || row.getAttribute("data-region") === r) &&
               (!g || groupsOf(row).indexOf(g) !== -1) &&
               (!t || row.getAttribute("data-name").toLowerCase().indexOf(t) !== -1);
      row.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = String(count);
  }

  function key(row, column, numeric) {
    var value = row.cells[column].getAttribute("data-sort");
    if (value === null) { value = row.cells[column].textContent; }
    if (!numeric) { return value.toLowerCase(); }
    return value === "" ? null : parseFloat(value);
  }

  function sortBy(header) {
    var column = header.cellIndex;
    var numeric = header.getAttribute("data-type") === "number";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var sorted = rows.slice().sort(function (a, b) {
      var x = key(a, column, numeric), y = key(b, column, numeric);
      if (x === y) { return 0; }
      if (x === null) { return 1; }   /* no value: always last */
      if (y === null) { return -1; }
      return (x < y ? -1 : 1) * (ascending ? 1 : -1);
    });
    sorted.forEach(function (row) { body.appendChild(row); });
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    var button = th.querySelector("button");
    if (button) { button.addEventListener("click", function () { sortBy(th); }); }
  });
  [region, group].forEach(function (el) { el.addEventListener("change", filter); });
  text.addEventListener("input", filter);
  filter();
})();
