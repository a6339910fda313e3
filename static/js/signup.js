// Sign-up: show only the organisation fields of the kind chosen (both stay usable without JS).
(function () {
  "use strict";
  const form = document.getElementById("signup-form");
  if (!form) return;
  function update() {
    const chosen = form.querySelector('input[name="account-kind"]:checked');
    const kind = chosen ? chosen.value : "sme";
    form.querySelectorAll("fieldset[data-kind]").forEach(function (fieldset) {
      fieldset.hidden = fieldset.dataset.kind !== kind;
    });
  }
  form.querySelectorAll('input[name="account-kind"]').forEach(function (input) {
    input.addEventListener("change", update);
  });
  update();
})();
