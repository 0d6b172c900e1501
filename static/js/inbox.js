// The assessor's inbox: keyboard moves and actions over the rows, selection count, focus after a swap.
// Every action is a real <button> or form, so Tab alone works; this file only adds shortcuts.
(function () {
  "use strict";

  var ROW = "tr.inbox-row";

  function inbox() { return document.getElementById("inbox"); }
  function rows() { var box = inbox(); return box ? Array.prototype.slice.call(box.querySelectorAll(ROW)) : []; }
  function rowOf(element) { return element && element.closest ? element.closest(ROW) : null; }

  function focusRow(row) {
    if (row) { row.focus(); row.scrollIntoView({block: "nearest"}); }
  }

  function move(from, step) {
    var all = rows();
    if (!all.length) { return; }
    var index = all.indexOf(from);
    if (index < 0) { focusRow(all[step > 0 ? 0 : all.length - 1]); return; }
    focusRow(all[Math.min(all.length - 1, Math.max(0, index + step))]);
  }

  function nextPending(after) {
    var all = rows(), index = all.indexOf(after);
    for (var i = index + 1; i < all.length; i++) { if (!all[i].classList.contains("inbox-done")) { return all[i]; } }
    for (var j = index - 1; j >= 0; j--) { if (!all[j].classList.contains("inbox-done")) { return all[j]; } }
    return after;
  }

  function toggle(row) {
    var box = row && row.querySelector(".inbox-check");
    if (box) { box.click(); }
  }

  function openReturn(row) {
    var details = row && row.querySelector("details.inbox-return");
    if (!details) { return; }
    details.open = true;
    var text = details.querySelector("textarea");
    if (text) { text.focus(); }
  }

  function updateSelected() {
    var box = inbox();
    if (!box) { return; }
    var count = box.querySelectorAll(".inbox-check:checked").length;
    var label = box.querySelector(".inbox-selected-count");
    if (label) { label.textContent = count ? "(" + count + ")" : ""; }
    var all = document.getElementById("inbox-pick-all");
    if (all) {
      var total = box.querySelectorAll(".inbox-check").length;
      all.checked = total > 0 && count === total;
      all.indeterminate = count > 0 && count < total;
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target, box = inbox();
    if (!box) { return; }
    if (target.tagName === "TEXTAREA" && rowOf(target)) {
      if (event.key === "Enter" && !event.shiftKey) {  // Enter sends the reason, Shift+Enter breaks the line
        event.preventDefault();
        target.form.requestSubmit();
      } else if (event.key === "Escape") {
        var details = target.closest("details");
        if (details) { details.open = false; }
        focusRow(rowOf(target));
      }
      return;
    }
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName) && target.type !== "checkbox") { return; }
    var inside = box.contains(target);
    if (!inside && target !== document.body) { return; }
    var row = rowOf(target);
    switch (event.key) {
      case "j": case "ArrowDown": move(row, 1); break;
      case "k": case "ArrowUp": move(row, -1); break;
      case "a":
        if (!row) { return; }
        var approve = row.querySelector("button.inbox-approve");
        if (approve) { approve.click(); }
        break;
      case "x": toggle(row); break;
      case " ":
        if (!row || target !== row) { return; }  // Space keeps its own meaning on buttons and boxes
        toggle(row);
        break;
      case "r": openReturn(row); break;
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("change", function (event) {
    if (event.target.id === "inbox-pick-all") {
      var on = event.target.checked;
      Array.prototype.forEach.call(inbox().querySelectorAll(".inbox-check"), function (box) { box.checked = on; });
    }
    if (event.target.id === "inbox-pick-all" || event.target.classList.contains("inbox-check")) { updateSelected(); }
  });

  // After a row swaps, keep the keyboard where the assessor works: the next pending row after a
  // decision, the reason field after a refused return; after the whole list swaps, the result.
  document.addEventListener("htmx:afterSettle", function (event) {
    var swapped = event.target;  // the new element (detail.elt is the one that asked)
    if (!swapped || !swapped.id) { return; }
    if (swapped.id.indexOf("inbox-visum-") === 0) {
      var row = document.getElementById(swapped.id);
      if (!row) { return; }
      var invalid = row.querySelector("textarea[aria-invalid]");
      if (invalid) { invalid.focus(); } else if (row.classList.contains("inbox-done")) { focusRow(nextPending(row)); } else { focusRow(row); }
      updateSelected();
    } else if (swapped.id === "inbox") {
      var outcome = document.getElementById("inbox-outcome");
      if (outcome) { outcome.focus(); } else { focusRow(rows()[0]); }
      updateSelected();
    }
  });
})();
