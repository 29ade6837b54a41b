// Import from the browser: refuse a too-big file before it is sent, and move the commit's progress bar
// by polling its job until it is done or failed, then reload for the server's summary.
(function () {
  "use strict";
  var upload = document.getElementById("import-upload");
  if (upload) {
    upload.addEventListener("submit", function (event) {
      var input = upload.querySelector("input[type=file]");
      var max = parseInt(upload.getAttribute("data-max-bytes"), 10);
      if (input && input.files.length && input.files[0].size > max) {
        event.preventDefault();
        window.alert(upload.getAttribute("data-too-big"));
      }
    });
  }
  var job = document.getElementById("import-job");
  if (!job || job.getAttribute("data-status") !== "running") {
    return;
  }
  var bar = job.querySelector("progress");
  var url = job.getAttribute("data-poll");
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { window.setTimeout(poll, 2000); return; }
        bar.value = state.percent;
        if (state.status === "running") { window.setTimeout(poll, 500); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  window.setTimeout(poll, 300);
})();
