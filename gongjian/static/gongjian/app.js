// Small behaviours without inline scripts (the CSP forbids them).
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector('meta[name="csrf-token"]');
  if (token) { event.detail.headers["X-CSRFToken"] = token.content; }
});
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el && el.matches("[data-autosubmit]")) { el.form.submit(); }
});
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-print]");
  if (el) { event.preventDefault(); window.print(); }
});
// A form marked data-swap-errors shows the reasons the server gives with a 400 answer (an
// import's bad rows, a missing file) instead of htmx's default of swapping nothing on an error.
document.addEventListener("htmx:beforeSwap", function (event) {
  var form = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (event.detail.xhr.status === 400 && form && form.closest("[data-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
// A receipt's "复制查询码" copies the code: the clipboard API where the page may use it, else (an
// intranet page over plain HTTP, a browser that refuses) a selected textarea.
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-copy]");
  if (!el) { return; }
  var text = el.getAttribute("data-copy");
  var done = function () { el.textContent = el.getAttribute("data-copied") || el.textContent; };
  var fallback = function () {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { if (document.execCommand("copy")) { done(); } } finally { document.body.removeChild(area); }
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, fallback);
  } else {
    fallback();
  }
});
// Arriving from a receipt (…/track/#code=WQ-XXXX-XXXX): the code is filled in. A fragment never
// reaches the server, so the code stays out of its logs.
document.addEventListener("DOMContentLoaded", function () {
  var match = /^#code=([A-Za-z0-9-]{4,40})$/.exec(window.location.hash);
  var input = document.querySelector('input[name="code"]');
  if (match && input && !input.value) {
    input.value = match[1];
    var next = document.querySelector('input[name="password"]');
    if (next) { next.focus(); }
  }
});
