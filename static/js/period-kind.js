// The open-a-return form: show only the question that goes with the chosen kind of
// period (the quarter for a quarter, the month for a month). Without this script
// every question shows, and the server reads only the one the chosen kind needs.
// GOV.UK Frontend's own conditional reveal is not used: it marks each radio
// aria-expanded, which a radio may not carry (axe-core: aria-allowed-attr).
const radios = Array.from(document.querySelectorAll("input[type=radio][data-app-reveals]"));

function sync() {
  for (const radio of radios) {
    const target = document.getElementById(radio.dataset.appReveals);
    if (target) {
      target.classList.toggle("govuk-radios__conditional--hidden", !radio.checked);
    }
  }
}

const names = new Set(radios.map((radio) => radio.name));
for (const name of names) {
  for (const radio of document.querySelectorAll(`input[type=radio][name="${name}"]`)) {
    radio.addEventListener("change", sync);
  }
}
// A page restored from the back-forward cache keeps the user's choice.
window.addEventListener("pageshow", sync);
sync();
