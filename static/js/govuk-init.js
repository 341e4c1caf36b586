// Marks the page as able to run GOV.UK Frontend's JavaScript, then starts its
// components. Kept out of the HTML so the Content Security Policy can forbid inline script.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
