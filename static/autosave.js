// Saves a dimension page in the background whenever an answer changes.
// Without JavaScript the page still saves on every button press.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var status = form.querySelector("[data-autosave-status]");
  var progressText = document.querySelector("[data-answered]");
  var progressBar = document.querySelector(".progress progress");
  var timer = null;
  var pending = false;

  function show(message, isError) {
    if (!status) {
      return;
    }
    status.textContent = message;
    status.classList.toggle("is-error", Boolean(isError));
  }

  function save() {
    timer = null;
    if (pending) {
      // A save is on its way; save again once it is back, with the latest answers.
      timer = window.setTimeout(save, 300);
      return;
    }
    pending = true;
    var data = new FormData(form);
    data.delete("action");
    fetch(form.getAttribute("data-autosave"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok && body.saved) {
          show(body.message, false);
          if (progressText && body.progress) { progressText.textContent = body.progress; }
          if (progressBar) { progressBar.value = body.answered; }
        } else {
          show(form.getAttribute("data-autosave-failed") || "Not saved", true);
        }
      });
    }).catch(function () {
      show(form.getAttribute("data-autosave-failed") || "Not saved", true);
    }).then(function () {
      pending = false;
    });
  }

  function schedule(delay) {
    if (timer) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(save, delay);
  }

  form.addEventListener("change", function () { schedule(150); });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") { schedule(1200); }
  });
})();
