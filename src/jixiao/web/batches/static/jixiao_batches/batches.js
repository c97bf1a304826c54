// 批量导入: show what was chosen, and send a folder's relative paths (the browser sends file names
// only) in the hidden field folder_paths, one a line, in the order of the files.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.classList.contains("batch-input")) return;
  var files = document.getElementById("batch-files");
  var folder = document.getElementById("batch-folder");
  var paths = document.getElementById("batch-folder-paths");
  var shown = document.getElementById("batch-chosen");
  var folderFiles = Array.prototype.slice.call((folder && folder.files) || []);
  if (paths) paths.value = folderFiles.map(function (f) { return f.webkitRelativePath || f.name; }).join("\n");
  var count = ((files && files.files) ? files.files.length : 0) + folderFiles.length;
  if (shown) shown.textContent = count ? "已选择 " + count + " 个文件" : "未选择文件";
});

// More files than the server takes in one request (DATA_UPLOAD_MAX_NUMBER_FILES): say so before
// sending, rather than getting a bare 400 page back.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || form.id !== "batch-form") return;
  var max = parseInt(form.getAttribute("data-max-files") || "0", 10);
  var count = 0;
  Array.prototype.forEach.call(form.querySelectorAll("input.batch-input"), function (input) {
    count += (input.files || []).length;
  });
  var shown = document.getElementById("batch-chosen");
  if (count === 0) {
    event.preventDefault();
    if (shown) shown.textContent = "请选择要导入的文件、文件夹或 zip 压缩包";
  } else if (max && count > max) {
    event.preventDefault();
    if (shown) shown.textContent = "一次最多选择 " + max + " 个文件（已选择 " + count + " 个），请把文件夹打包为 zip 压缩包后导入";
  }
});
