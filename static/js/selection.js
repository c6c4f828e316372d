// Select-all and the running total of the selection on a list of checkboxes (payments/queue.html, the office
// queue's multi-select). No inline script: the page's CSP allows only this site's files.
// <input type="checkbox" data-select-all="ids"> ticks every enabled <input name="ids">; an element with
// data-selection-of="ids" says how many are ticked and, where the boxes carry data-amount, their sum in yuan.
(function () {
  "use strict";

  function fen(text) {
    var parts = String(text || "0").split(".");
    var whole = parseInt(parts[0], 10) || 0;
    var cents = parseInt(((parts[1] || "") + "00").slice(0, 2), 10) || 0;
    return whole * 100 + (whole < 0 ? -cents : cents);
  }

  function yuan(totalFen) {
    var whole = Math.floor(totalFen / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    var cents = ("0" + (totalFen % 100)).slice(-2);
    return "¥" + whole + "." + cents;
  }

  function boxes(name) {
    return Array.prototype.slice.call(document.querySelectorAll('input[type="checkbox"][name="' + name + '"]'));
  }

  function refresh(name) {
    var ticked = boxes(name).filter(function (box) { return box.checked; });
    var total = ticked.reduce(function (sum, box) { return sum + fen(box.dataset.amount); }, 0);
    document.querySelectorAll('[data-selection-of="' + name + '"]').forEach(function (out) {
      out.textContent = ticked.length === 0
        ? out.dataset.textNone
        : out.dataset.text.replace("{count}", ticked.length).replace("{total}", yuan(total));
      out.dataset.count = ticked.length;
      out.dataset.total = (total / 100).toFixed(2);
    });
    document.querySelectorAll('[data-select-all="' + name + '"]').forEach(function (all) {
      var enabled = boxes(name).filter(function (box) { return !box.disabled; });
      all.checked = enabled.length > 0 && enabled.every(function (box) { return box.checked; });
      all.indeterminate = !all.checked && ticked.length > 0;
    });
  }

  document.querySelectorAll("[data-select-all]").forEach(function (all) {
    var name = all.dataset.selectAll;
    all.addEventListener("change", function () {
      boxes(name).forEach(function (box) { if (!box.disabled) { box.checked = all.checked; } });
      refresh(name);
    });
    boxes(name).forEach(function (box) { box.addEventListener("change", function () { refresh(name); }); });
    refresh(name);
  });
})();
