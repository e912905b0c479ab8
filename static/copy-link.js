// Adds a "Copy link" button beside the private link. Without JavaScript (or
// without the Clipboard API) the link stays in its field, ready to select.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-link]").forEach(function (box) {
    var field = box.querySelector(".resume-url");
    if (!field || !navigator.clipboard) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button copy-link";
    button.textContent = box.getAttribute("data-copy-label");
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        status.textContent = box.getAttribute("data-copied");
      }, function () {
        field.select();
        status.textContent = box.getAttribute("data-copy-failed");
      });
    });
    field.insertAdjacentElement("afterend", status);
    field.insertAdjacentElement("afterend", button);
  });
})();
