// 指标库 suggestions: a click on a suggestion's button sends `jixiao:suggestion` (bubbling, from the
// button) with its data- attributes as `detail`: {entry, name, level1, level2, target, value,
// comparator, unit, direction}. The target editor listens for it and inserts the row.
document.addEventListener("click", function (event) {
  var button = event.target instanceof Element ? event.target.closest(".suggestion-insert") : null;
  if (!button) return;
  event.preventDefault();
  button.dispatchEvent(new CustomEvent("jixiao:suggestion", { bubbles: true, detail: Object.assign({}, button.dataset) }));
});
