// The new-document form: the campaign picker only for a kind drafted from a campaign (实施方案, 名单).
// Without JavaScript the picker simply stays visible.
(function () {
  var form = document.querySelector("form[data-needs-campaign]");
  if (!form) { return; }
  var kind = form.querySelector("select[name=kind]");
  var field = document.getElementById("field-campaign_id");
  if (!kind || !field) { return; }
  var needs = form.getAttribute("data-needs-campaign").split(" ");
  function sync() { field.hidden = needs.indexOf(kind.value) < 0; }
  kind.addEventListener("change", sync);
  sync();
})();
