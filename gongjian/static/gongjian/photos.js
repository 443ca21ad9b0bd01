// Photo uploads (forms marked data-photo-upload): the size, count and type are checked before
// anything is sent (the server checks again), the progress is shown while sending, and a failed
// connection says so in Chinese. htmx disables the button while sending (hx-disabled-elt) and
// swaps in the photo section the server answers — with the caption kept when a file is refused.
// A large JPEG is made smaller on the phone before it is sent (upright, at most 1600 px, no EXIF:
// the GPS position never leaves the phone, and a weak line carries a fifth of the bytes); where
// the browser cannot, the original goes and the server does the same.
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

  // The button says what is happening while it is disabled; the swapped-in form brings it back.
  function label(form, sending) {
    var button = form.querySelector("button[type=submit]");
    if (!button) { return; }
    if (!button.hasAttribute("data-label")) { button.setAttribute("data-label", button.textContent); }
    button.textContent = sending ? form.getAttribute("data-msg-sending") : button.getAttribute("data-label");
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

  var LONGEST = 1600;
  var canShrink = typeof window.createImageBitmap === "function" && typeof window.DataTransfer === "function" &&
    typeof HTMLCanvasElement !== "undefined" && !!HTMLCanvasElement.prototype.toBlob;

  function shrink(file) {
    if (file.type !== "image/jpeg" || file.size < 600 * 1024) { return Promise.resolve(file); }
    return window.createImageBitmap(file, {imageOrientation: "from-image"}).then(function (bitmap) {
      var scale = Math.min(1, LONGEST / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) { bitmap.close(); }
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          resolve(blob && blob.size < file.size ? new File([blob], file.name, {type: "image/jpeg"}) : file);
        }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; });
  }

  // htmx asks before sending: shrink the chosen photos first, then let it send them.
  document.addEventListener("htmx:confirm", function (event) {
    var form = uploadForm(event.detail.elt);
    var input = form && form.querySelector("input[type=file]");
    if (!form || !canShrink || !input || !input.files || !input.files.length || problem(form) ||
        form.getAttribute("data-shrunk") === "1") { return; }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    label(form, true);
    progress(form, 0, form.getAttribute("data-msg-preparing"));
    Promise.all(Array.prototype.map.call(input.files, shrink)).then(function (files) {
      var list = new DataTransfer();
      files.forEach(function (file) { list.items.add(file); });
      input.files = list.files;
    }).catch(function () { /* send the originals */ }).then(function () {
      if (button) { button.disabled = false; }
      form.setAttribute("data-shrunk", "1");
      event.detail.issueRequest(true);
    });
  });

  document.addEventListener("change", function (event) {
    var form = uploadForm(event.target);
    if (form && event.target.type === "file") { form.removeAttribute("data-shrunk"); }
  });

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
    label(form, true);
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
    label(form, false);
    say(form, form.getAttribute("data-msg-failed"));
  }
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:timeout", failed);
  document.addEventListener("htmx:sendAbort", failed);
})();
