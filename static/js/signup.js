// Sign-up: show only the organisation fields of the kind chosen (both stay usable without JS), and the
// privacy notices of the law of the organisation's country (a Korean company's: PIPA), saying which in the
// form so the server records the consents against the notices that were read.
(function () {
  "use strict";
  const form = document.getElementById("signup-form");
  if (!form) return;
  const consents = document.getElementById("consents");
  const countryLaws = consents ? JSON.parse(consents.dataset.countryLaws || "{}") : {};
  function law(kind) {
    if (kind === "sme") return countryLaws.KR || "general";
    const country = form.querySelector('[name="buyer-city_country"]');
    return (country && countryLaws[country.value]) || "general";
  }
  function update() {
    const chosen = form.querySelector('input[name="account-kind"]:checked');
    const kind = chosen ? chosen.value : "sme";
    form.querySelectorAll("fieldset[data-kind]").forEach(function (fieldset) {
      fieldset.hidden = fieldset.dataset.kind !== kind;
    });
    if (!consents) return;
    const shown = law(kind);
    const field = consents.querySelector("[data-consent-law]");
    if (field.value !== shown) {
      // Other words: a consent ticked under the previous notice is not a consent to these.
      consents.querySelectorAll('input[type="checkbox"]').forEach(function (box) {
        box.checked = false;
      });
      field.value = shown;
    }
    consents.querySelectorAll(".privacy-notice[data-law]").forEach(function (notice) {
      notice.hidden = notice.dataset.law !== shown;
    });
  }
  form.querySelectorAll('input[name="account-kind"]').forEach(function (input) {
    input.addEventListener("change", update);
  });
  form.addEventListener("change", function (event) {
    if (event.target.name === "buyer-city_country") update();
  });
  update();
})();
