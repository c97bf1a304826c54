// 目标申报 editor: a suggestion of the 指标库 panel, clicked, is inserted into the form (saved on the
// server, the editor swapped in). Suggestions carry data-name, data-level1, data-level2 and the
// typical value (data-target or data-value) and unit (data-unit).
document.addEventListener("click", function (event) {
  var item = event.target.closest("#suggestions [data-name]");
  if (!item) return;
  var form = document.getElementById("editor-form");
  if (!form || form.querySelector("fieldset[disabled]")) return;
  event.preventDefault();
  var data = item.dataset;
  htmx.ajax("POST", form.dataset.insertUrl, {
    source: form,
    target: "#editor",
    swap: "outerHTML",
    values: {
      name: data.name || "",
      level1: data.level1 || "",
      level2: data.level2 || "",
      target: data.target || data.value || "",
      unit: data.unit || ""
    }
  });
});
