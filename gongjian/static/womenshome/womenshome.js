// Roster pickers: a search result button fills the hidden person field of the form on the page.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pick-person]");
    if (!button) { return; }
    event.preventDefault();
    var input = document.getElementById("id_person");
    if (input) { input.value = button.getAttribute("data-pick-person"); }
    document.querySelectorAll("[data-picked-name]").forEach(function (el) {
      el.textContent = button.getAttribute("data-pick-name");
    });
    var results = button.closest("#pick-results");
    if (results) { results.textContent = ""; }
  });
})();
