// Background export page: polls the job's status and shows the download link when the file is ready.
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  function part(name) { return box.querySelector('[data-role="' + name + '"]'); }
  function show(status) {
    part("state").textContent = status.state_label;
    part("rows").textContent = status.rows_done;
    part("expected").textContent = status.rows_expected;
    part("bar").value = status.percent;
    part("bar").textContent = status.percent + "%";
    if (status.download) { part("download").hidden = false; }
    if (status.error) { part("error-text").textContent = status.error; part("error").hidden = false; }
    return status.state === "done" || status.state === "failed";
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (status) { if (!show(status)) { window.setTimeout(poll, 1000); } })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  poll();
})();
