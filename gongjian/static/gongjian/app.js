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
