// Photo uploads (forms marked data-photo-upload): the size, count and type are checked before
// anything is sent (the server checks again), the progress is shown while sending, and a failed
// connection says so in Chinese. htmx disables the button while sending (hx-disabled-elt) and
// swaps in the photo section the server answers — with the caption kept when a file is refused.
// Forms marked data-confirm ask before they are sent (deleting a photo).
(function () {
  "use strict";

  function uploadForm(el) {
    return el && el.closest ? el.closest("[data-photo-upload]") : null;
  }

  function problem(form) {
    var input = form.querySelector("input[type=file]");
    if (!input || !input.files) { return ""; }
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
    var maxFiles = parseInt(form.getAttribute("data-max-files"), 10);
    if (input.files.length > maxFiles) { return form.getAttribute("data-msg-too-many"); }
    var tooLarge = [], wrongType = [];
    for (var i = 0; i < input.files.length; i++) {
      var file = input.files[i];
      if (file.size > maxBytes) { tooLarge.push(file.name); }
      if (file.type && !/^image\/(jpeg|png)$/.test(file.type)) { wrongType.push(file.name); }
    }
    if (tooLarge.length) { return form.getAttribute("data-msg-too-large") + tooLarge.join("、"); }
    if (wrongType.length) { return form.getAttribute("data-msg-type") + wrongType.join("、"); }
    return "";
  }

  function say(form, message) {
    var box = form.querySelector("[data-photo-check]");
    if (!box) { return; }
    box.textContent = message;
    box.hidden = !message;
  }

  function progress(form, percent, text) {
    var box = form.querySelector("[data-photo-progress]");
    if (!box) { return; }
    box.hidden = percent === null;
    if (percent === null) { return; }
    var bar = box.querySelector("progress");
    var shown = Math.max(parseInt(bar.value, 10) || 0, percent);
    bar.value = shown;
    box.querySelector("[data-photo-percent]").textContent = text ||
      (shown >= 100 ? form.getAttribute("data-msg-processing") : form.getAttribute("data-msg-progress") + " " + shown + "%");
  }

  document.addEventListener("change", function (event) {
    var form = uploadForm(event.target);
    if (form && event.target.type === "file") { say(form, problem(form)); }
  });

  // Before htmx or the browser sends anything.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopPropagation();
      return;
    }
    if (uploadForm(form) && problem(form)) {
      event.preventDefault();
      event.stopPropagation();
      say(form, problem(form));
    }
  }, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = uploadForm(event.detail.elt);
    if (!form) { return; }
    var found = problem(form);
    if (found) {
      event.preventDefault();
      say(form, found);
      return;
    }
    say(form, "");
    form.querySelector("[data-photo-progress] progress").value = 0;
    progress(form, 0);
  });

  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = uploadForm(event.target);
    if (form && event.detail.lengthComputable && event.detail.total) {
      progress(form, Math.round(100 * event.detail.loaded / event.detail.total));
    }
  });

  function failed(event) {
    var form = uploadForm(event.detail.elt || event.target);
    if (!form) { return; }
    progress(form, null);
    say(form, form.getAttribute("data-msg-failed"));
  }
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:timeout", failed);
  document.addEventListener("htmx:sendAbort", failed);
})();
