// Saves a dimension page in the background whenever an answer changes.
// Without JavaScript the page still saves on every button press (also the
// header's language and home buttons, which belong to the form).
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var url = form.getAttribute("data-autosave");
  var failedMessage = form.getAttribute("data-autosave-failed") || "Not saved";
  var status = form.querySelector("[data-autosave-status]");
  var progressText = document.querySelector("[data-answered]");
  var progressBar = document.querySelector(".progress progress");
  var timer = null;
  var inFlight = false;
  // Changes made since the last save was sent: these are what leaving the page could lose.
  var unsent = false;
  // Set when a button posts the whole page: that post saves it, nothing to flush.
  var posting = false;

  function show(message, isError) {
    if (!status) {
      return;
    }
    status.textContent = message;
    status.classList.toggle("is-error", Boolean(isError));
  }

  function pageData() {
    var data = new FormData(form);
    data.delete("action");
    return data;
  }

  function save() {
    timer = null;
    if (inFlight) {
      // A save is on its way; save again once it is back, with the latest answers.
      timer = window.setTimeout(save, 300);
      return;
    }
    inFlight = true;
    unsent = false;
    fetch(url, {
      method: "POST",
      body: pageData(),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok && body.saved) {
          show(body.message, false);
          if (progressText && body.progress) { progressText.textContent = body.progress; }
          if (progressBar) { progressBar.value = body.answered; }
        } else {
          unsent = true;
          show(body.message || failedMessage, true);
        }
      });
    }).catch(function () {
      unsent = true;
      show(failedMessage, true);
    }).then(function () {
      inFlight = false;
    });
  }

  function schedule(delay) {
    unsent = true;
    if (timer) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(save, delay);
  }

  // Leaving the page (a link, the back button, closing the tab) must not lose
  // the last answers: send what is unsent in a request that outlives the page.
  function flush() {
    // A save still on its way may be cancelled with the page: send it again.
    if (posting || (!unsent && !inFlight)) {
      return;
    }
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
    unsent = false;
    var data = pageData();  // carries the csrf_token, which the server checks
    if (!(navigator.sendBeacon && navigator.sendBeacon(url, data))) {
      fetch(url, { method: "POST", body: data, credentials: "same-origin", keepalive: true });
    }
  }

  // A chosen answer is taken back in place: the options are unchecked and a
  // clear-<question> field tells the server, on this save and on any button
  // press after it, until an option is chosen again.
  function clearField(questionId) {
    return form.querySelector('input[type="hidden"][name="clear-' + questionId + '"]');
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-clear]");
    if (!button) {
      return;
    }
    event.preventDefault();
    var questionId = button.getAttribute("data-clear");
    var fieldset = button.closest("fieldset");
    fieldset.querySelectorAll('input[type="radio"]').forEach(function (radio) {
      radio.checked = false;
    });
    if (!clearField(questionId)) {
      var marker = document.createElement("input");
      marker.type = "hidden";
      marker.name = "clear-" + questionId;
      marker.value = "1";
      fieldset.appendChild(marker);
    }
    var first = fieldset.querySelector('input[type="radio"]');
    if (first) { first.focus(); }
    schedule(0);
  });

  form.addEventListener("change", function (event) {
    if (event.target.type === "radio") {
      var marker = event.target.closest("fieldset").querySelector('input[type="hidden"][name^="clear-"]');
      if (marker) { marker.remove(); }
    }
    schedule(150);
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") { schedule(1200); }
  });
  form.addEventListener("submit", function () {
    posting = true;
    unsent = false;
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
  });
  window.addEventListener("pagehide", flush);
  // Back in the page from the browser's cache (back button): it may be edited again.
  window.addEventListener("pageshow", function () { posting = false; });
})();
