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
  // A button pressed while a save was on its way (false: no button known).
  var waitingSubmitter = null;

  function show(message, isError, link) {
    if (!status) {
      return;
    }
    status.textContent = message;
    if (link && link.url) {
      var anchor = document.createElement("a");
      anchor.href = link.url;
      anchor.textContent = link.text;
      status.appendChild(document.createTextNode(" "));
      status.appendChild(anchor);
    }
    status.classList.toggle("is-error", Boolean(isError));
  }

  function pageData() {
    var data = new FormData(form);
    data.delete("action");
    return data;
  }

  // --- What the page showed -----------------------------------------------
  // Each question carries hidden shown-answer-<id> and shown-comment-<id>
  // fields: what the page showed before the person changed it. The server
  // applies only what differs from them, so a second window on the same link
  // undoes nothing. After each save they are set to what is stored now.

  function questionIds() {
    var ids = [];
    form.querySelectorAll('input[type="hidden"][name^="shown-answer-"]').forEach(function (field) {
      ids.push(field.name.slice("shown-answer-".length));
    });
    return ids;
  }

  function currentChoice(questionId) {
    if (clearField(questionId)) { return ""; }
    var checked = form.querySelector('input[name="answer-' + questionId + '"]:checked');
    return checked ? checked.value : "";
  }

  function commentBox(questionId) {
    return form.querySelector('textarea[name="comment-' + questionId + '"]');
  }

  function snapshot() {
    var values = {};
    questionIds().forEach(function (id) {
      var box = commentBox(id);
      values[id] = { choice: currentChoice(id), comment: box ? box.value : "" };
    });
    return values;
  }

  function setShown(questionId, stored) {
    form.querySelector('input[name="shown-answer-' + questionId + '"]').value = stored.choice;
    form.querySelector('input[name="shown-comment-' + questionId + '"]').value = stored.comment;
  }

  // Another window changed this question: show what is stored, unless the
  // person has changed it here since the save was sent.
  function showStored(questionId, stored, sent) {
    if (currentChoice(questionId) === sent.choice) {
      var marker = clearField(questionId);
      if (marker) { marker.remove(); }
      form.querySelectorAll('input[name="answer-' + questionId + '"]').forEach(function (radio) {
        radio.checked = radio.value === stored.choice;
      });
    }
    var box = commentBox(questionId);
    if (box && box.value === sent.comment) { box.value = stored.comment; }
  }

  function takeStored(body, sent) {
    var elsewhere = body.changed_elsewhere || [];
    Object.keys(body.answers || {}).forEach(function (id) {
      if (!sent[id]) { return; }
      if (elsewhere.indexOf(id) >= 0) { showStored(id, body.answers[id], sent[id]); }
      setShown(id, body.answers[id]);
    });
  }

  // The jump list's "(n open)" per page.
  function showOpenCounts(counts) {
    if (!counts) { return; }
    document.querySelectorAll(".dimension-nav li[data-page] .open-count").forEach(function (span) {
      span.textContent = counts[span.closest("li").getAttribute("data-page")] || "";
    });
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
    var sent = snapshot();
    fetch(url, {
      method: "POST",
      body: pageData(),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok && body.saved) {
          takeStored(body, sent);
          show(body.message, (body.changed_elsewhere || []).length > 0);
          if (progressText && body.progress) { progressText.textContent = body.progress; }
          if (progressBar) { progressBar.value = body.answered; }
          showOpenCounts(body.open_counts);
          unmarkConfirmed(body.prefilled);
          showToConfirm(body.to_confirm);
        } else {
          unsent = true;
          show(body.message || failedMessage, true, body.link);
        }
      });
    }).catch(function () {
      unsent = true;
      show(failedMessage, true);
    }).then(function () {
      inFlight = false;
      if (waitingSubmitter !== null) {
        // A button was pressed while this save was on its way: post the page now,
        // with what the page shows as stored.
        var submitter = waitingSubmitter;
        waitingSubmitter = null;
        if (submitter && form.requestSubmit) { form.requestSubmit(submitter); } else { form.submit(); }
      }
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

  // --- Last quarter's answers (DESIGN §8) --------------------------------
  // A pre-filled answer counts once confirmed or changed. Its confirm button
  // confirms in place: a confirm-<question> field tells the server on this
  // save (and on a button press after it); the mark goes once the server's
  // answer no longer lists the question as pre-filled.
  function confirmField(questionId) {
    return form.querySelector('input[type="hidden"][name="confirm-' + questionId + '"]');
  }

  function unmarkConfirmed(stillPrefilled) {
    if (!stillPrefilled) { return; }
    form.querySelectorAll("fieldset.is-prefilled").forEach(function (fieldset) {
      if (stillPrefilled.indexOf(fieldset.id.slice(2)) >= 0) { return; }
      var button = fieldset.querySelector("[data-confirm]");
      if (button && document.activeElement === button) {
        // The focus stays in the question, on its chosen option.
        var chosen = fieldset.querySelector('input[type="radio"]:checked');
        if (chosen) { chosen.focus(); }
      }
      fieldset.classList.remove("is-prefilled");
      fieldset.querySelectorAll('[data-prefilled-note], [data-confirm], input[name^="confirm-"]')
        .forEach(function (element) { element.remove(); });
    });
  }

  // The notice above the form: its count follows; it goes once nothing is left.
  function showToConfirm(heading) {
    var notice = document.querySelector(".prefilled-summary");
    if (!notice || heading === undefined) { return; }
    if (!heading) { notice.remove(); return; }
    notice.querySelector("h2").textContent = heading;
  }

  form.addEventListener("click", function (event) {
    var confirmButton = event.target.closest("[data-confirm]");
    if (confirmButton) {
      event.preventDefault();
      var confirmId = confirmButton.getAttribute("data-confirm");
      if (!confirmField(confirmId)) {
        var field = document.createElement("input");
        field.type = "hidden";
        field.name = "confirm-" + confirmId;
        field.value = "1";
        confirmButton.closest("fieldset").appendChild(field);
      }
      schedule(0);
      return;
    }
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
  form.addEventListener("submit", function (event) {
    if (inFlight) {
      // Wait for the save on its way: its answer says what is stored now.
      event.preventDefault();
      waitingSubmitter = event.submitter || false;
      return;
    }
    posting = true;
    unsent = false;
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
  });
  // A comment's length against its limit: the browser cuts longer text
  // (maxlength), so the person is told when the limit is reached.
  var countText = form.getAttribute("data-comment-count");
  var fullText = form.getAttribute("data-comment-full");

  function showLength(box) {
    var hint = document.getElementById(box.id + "-limit");
    var limit = Number(box.getAttribute("maxlength"));
    if (!hint || !countText || !limit) {
      return;
    }
    var full = box.value.length >= limit;
    hint.textContent = (full ? fullText : countText).replace("{count}", String(box.value.length));
    hint.classList.toggle("is-full", full);
  }

  form.querySelectorAll("textarea[maxlength]").forEach(function (box) {
    box.addEventListener("input", function () { showLength(box); });
    if (box.value) { showLength(box); }
  });

  window.addEventListener("pagehide", flush);
  // Back in the page from the browser's cache (back button): it may be edited again.
  window.addEventListener("pageshow", function () { posting = false; });
})();
