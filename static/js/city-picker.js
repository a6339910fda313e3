// City fields (matching/geo/forms.py): choosing a country fills the city select with that country's
// cities, asked from geo:city_options. Without script, a button under the country sends the form.
(function () {
  "use strict";
  if (window.cityPickerReady) return; // one script tag per city field on the page
  window.cityPickerReady = true;

  function fill(select, cities, placeholder) {
    const first = document.createElement("option");
    first.value = "";
    first.textContent = placeholder;
    const options = [first];
    cities.forEach(function (city) {
      const option = document.createElement("option");
      option.value = city[0];
      option.textContent = city[1];
      options.push(option);
    });
    select.replaceChildren.apply(select, options);
  }

  function setUp(picker) {
    const country = picker.querySelector("[data-city-country]");
    const city = picker.querySelector("[data-city-select]");
    if (!country || !city) return;
    const placeholder = city.options.length ? city.options[0].textContent : "";
    country.addEventListener("change", function () {
      city.disabled = true;
      const url = picker.dataset.optionsUrl + "?country=" + encodeURIComponent(country.value);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : { cities: [], placeholder: placeholder };
        })
        .then(function (data) {
          fill(city, data.cities, data.placeholder || placeholder);
        })
        .catch(function () {
          fill(city, [], placeholder);
        })
        .finally(function () {
          city.disabled = false;
        });
    });
  }

  function start() {
    document.querySelectorAll("[data-city-picker]").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
